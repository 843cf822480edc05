import type { z } from 'zod';
import { defaultOf, enumValues, fieldType, innerSchema, listItems, numberBounds } from '../shared/hparams/introspect';
import { metaOf, nestedMeta, type HParamMeta } from '../shared/hparams/meta';
import { FlagError, numberFlag, numbersFlag } from './number-flags';

/** How a flag's text becomes a value. */
export type FlagKind = 'number' | 'numbers' | 'enum' | 'string' | 'switch' | 'negated';

/** One command-line flag of a schema field, from the field's `.meta()`. */
export interface FlagSpec {
  /** Without dashes; a negated switch's is "no-…". */
  flag: string;
  /** The field's path in the request, dotted as validation errors name it ("finetune.epochs"). */
  path: string;
  field: z.ZodType;
  meta: HParamMeta;
  kind: FlagKind;
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The flags of a request schema's fields: every field with metadata and a flag (the field name in
 * kebab case unless its meta names one or says false), in schema order. A nested object's fields
 * become `--<object flag>-<field flag>` (the workflow's `--finetune-epochs`).
 */
export function hparamFlags(object: z.ZodObject, prefix: { flag: string; path: string; meta: HParamMeta } | null = null): FlagSpec[] {
  const specs: FlagSpec[] = [];
  for (const [key, field] of Object.entries(object.shape) as [string, z.ZodType][]) {
    const own = metaOf(field);
    if (!own || own.flag === false) continue;
    const meta = prefix ? nestedMeta(prefix.meta, own) : own;
    const flag = prefix ? `${prefix.flag}-${own.flag ?? kebab(key)}` : (own.flag ?? kebab(key));
    const path = prefix ? `${prefix.path}.${key}` : key;
    const type = fieldType(field);
    if (type === 'object') specs.push(...hparamFlags(innerSchema(field) as z.ZodObject, { flag, path, meta }));
    else if (type === 'boolean') {
      const negated = defaultOf(field) === true;
      specs.push({ flag: negated ? `no-${flag}` : flag, path, field, meta, kind: negated ? 'negated' : 'switch' });
    } else {
      const kind: FlagKind =
        type === 'number' ? 'number' : type === 'tuple' || type === 'array' ? 'numbers' : type === 'enum' ? 'enum' : 'string';
      specs.push({ flag, path, field, meta, kind });
    }
  }
  return specs;
}

/** node:util parseArgs options for the flags. */
export function parseOptionsOf(specs: readonly FlagSpec[]): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(specs.map((s) => [s.flag, { type: s.kind === 'switch' || s.kind === 'negated' ? 'boolean' : 'string' }]));
}

/** Whether a list or tuple holds whole numbers. */
function wholeItems(spec: FlagSpec): boolean {
  const item = listItems(spec.field)?.item;
  return Boolean(item && numberBounds(item).integer);
}

/**
 * The request body the given flags stand for (absent flags left out, so the schema's defaults
 * apply). A value that is not of the flag's kind is a FlagError naming the flag; ranges are the
 * schema's to check.
 */
export function readHParamFlags(specs: readonly FlagSpec[], values: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const spec of specs) {
    const raw = values[spec.flag];
    if (raw === undefined || raw === false) continue;
    let value: unknown = raw;
    if (spec.kind === 'negated') value = false;
    else if (spec.kind === 'number') value = numberFlag(spec.flag, String(raw));
    else if (spec.kind === 'numbers')
      value = numbersFlag(spec.flag, String(raw), { count: listItems(spec.field)?.count ?? null, whole: wholeItems(spec) });
    else if (spec.kind === 'enum' && !enumValues(spec.field).includes(String(raw)))
      throw new FlagError(`--${spec.flag} takes ${orList(enumValues(spec.field))}, got "${String(raw)}"`);
    setPath(body, spec.path, value);
  }
  return body;
}

/** Field path → flag, for naming the flag of a refused field. */
export function flagOfPath(specs: readonly FlagSpec[]): Record<string, string> {
  return Object.fromEntries(specs.map((s) => [s.path, s.flag]));
}

/** "a, b or c". */
export function orList(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function setPath(body: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = body;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
}
