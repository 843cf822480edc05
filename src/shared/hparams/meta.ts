import type { z } from 'zod';

/** How a hyperparameter is presented: the CLI flag and usage line, the form field, its help. */
export interface HParamMeta {
  /** Field label, e.g. "K_train". */
  label: string;
  /** One sentence: what it does (CLI `--help`, the field's tooltip). */
  help: string;
  /** Unit shown after the label ("px", "epochs", "minutes"). */
  unit?: string;
  /** Short text under the form field. */
  hint?: string;
  /** CLI flag without the dashes; false: not on the command line. Default: the field name in kebab case. */
  flag?: string | false;
  /** Placeholder for the flag's value in usage lines ("K", "a,b"). */
  valueName?: string;
  /** Form control: number input, select, checkbox, text, a min–max pair, or a comma-separated list. */
  widget?: 'number' | 'select' | 'checkbox' | 'text' | 'pair' | 'list';
  /** Words for an enum's values (select options, `--help`). */
  options?: Record<string, string>;
  /** false: forms do not offer it (the form has another way, or no good control for it). */
  inForm?: false;
  /** What an empty field means: the text of an optional select's empty option, or of a text field's placeholder. */
  placeholder?: string;
}

declare module 'zod' {
  // Module augmentation: zod's GlobalMeta gains our fields by declaring an interface that extends them.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalMeta extends Partial<HParamMeta> {}
}

/** Any field or request schema (so layers that may not import zod can name one). */
export type Schema = z.ZodType;

type Wrapper = { def: { innerType?: z.ZodType } };

/** A field's metadata: every wrapper's `.meta()` over its inner schema's (the outermost wins), or null. */
export function metaOf(schema: z.ZodType): HParamMeta | null {
  const layers: Partial<HParamMeta>[] = [];
  for (let s: z.ZodType | undefined = schema; s; s = (s as unknown as Wrapper).def.innerType) {
    const m = s.meta();
    if (m) layers.unshift(m as Partial<HParamMeta>);
  }
  const merged = Object.assign({}, ...layers) as Partial<HParamMeta>;
  return merged.label && merged.help ? (merged as HParamMeta) : null;
}

/** A nested object's field as its parent presents it: "Fine-tune" + "Epochs" → "Fine-tune epochs". */
export function nestedMeta(parent: HParamMeta, child: HParamMeta): HParamMeta {
  return { ...child, label: `${parent.label} ${child.label.charAt(0).toLowerCase()}${child.label.slice(1)}` };
}
