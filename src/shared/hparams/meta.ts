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
}

declare module 'zod' {
  // Module augmentation: zod's GlobalMeta gains our fields by declaring an interface that extends them.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalMeta extends Partial<HParamMeta> {}
}

type Wrapper = { def: { innerType?: z.ZodType; in?: z.ZodType } };

/** The schema inside optional / default / prefault / nullable / pipe wrappers. */
export function innerSchema(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let inner = (s as unknown as Wrapper).def.innerType; inner; inner = (s as unknown as Wrapper).def.innerType) s = inner;
  return s;
}

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

/** A field's default value (its outermost `.default()`), or undefined. */
export function defaultOf(schema: z.ZodType): unknown {
  for (let s: z.ZodType | undefined = schema; s; s = (s as unknown as Wrapper).def.innerType) {
    const def = (s as unknown as { def: { type: string; defaultValue?: unknown } }).def;
    if (def.type === 'default' || def.type === 'prefault') return def.defaultValue;
  }
  return undefined;
}

/** Whether a field may be left out (optional or defaulted). */
export function isOptionalField(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

export interface NumberBounds {
  min: number | null;
  max: number | null;
  /** Whether min (max) itself is allowed. */
  minInclusive: boolean;
  maxInclusive: boolean;
  integer: boolean;
}

type Check = { _zod: { def: { check: string; value?: number; inclusive?: boolean; format?: string } } };

/** The range a number field accepts, read from its checks (null bounds for a non-number). */
export function numberBounds(schema: z.ZodType): NumberBounds {
  const bounds: NumberBounds = { min: null, max: null, minInclusive: true, maxInclusive: true, integer: false };
  const checks = (innerSchema(schema) as unknown as { def: { checks?: Check[] } }).def.checks ?? [];
  for (const { _zod } of checks) {
    const c = _zod.def;
    if (c.check === 'number_format') bounds.integer = c.format === 'safeint' || c.format === 'int32' || c.format === 'uint32';
    if (c.check === 'greater_than' && (bounds.min === null || c.value! >= bounds.min))
      Object.assign(bounds, { min: c.value!, minInclusive: c.inclusive ?? true });
    if (c.check === 'less_than' && (bounds.max === null || c.value! <= bounds.max))
      Object.assign(bounds, { max: c.value!, maxInclusive: c.inclusive ?? true });
  }
  return bounds;
}
