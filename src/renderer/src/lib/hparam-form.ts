import { defaultOf, fieldType, innerSchema, listItems, numberBounds } from '../../../shared/hparams/introspect';
import { metaOf, nestedMeta, type HParamMeta, type Schema } from '../../../shared/hparams/meta';

/** A form's fields: its own key → the field's dotted path in the request schema ("finetuneEpochs" → "finetune.epochs"). */
export type FormFields = Record<string, string>;
/** Values as the inputs hold them: numbers may be null while typed, lists are their text. */
export type FormValues = Record<string, unknown>;

const shapeOf = (schema: Schema) => (innerSchema(schema) as unknown as { shape: Record<string, Schema> }).shape;

/** The schema of the field at `path`. */
export function fieldSchema(schema: Schema, path: string): Schema {
  return path.split('.').reduce((s, key) => shapeOf(s)[key]!, schema);
}

/** The field's metadata as its form shows it (a nested field's label carries its parent's: "Fine-tune epochs"). */
export function fieldMeta(schema: Schema, path: string): HParamMeta {
  const keys = path.split('.');
  let at = schema;
  let meta: HParamMeta | null = null;
  for (const key of keys) {
    at = shapeOf(at)[key]!;
    const own = metaOf(at);
    if (!own) throw new Error(`The field ${path} has no metadata to show it by`);
    meta = meta && key !== keys[0] ? nestedMeta(meta, own) : own;
  }
  return meta!;
}

/** "K_train (px)". */
export function fieldLabel(meta: HParamMeta): string {
  return `${meta.label}${meta.unit ? ` (${meta.unit})` : ''}`;
}

/** The form control a field needs: its meta's widget, else what its type implies. */
export function widgetOf(field: Schema, meta: HParamMeta): NonNullable<HParamMeta['widget']> {
  if (meta.widget) return meta.widget;
  const type = fieldType(field);
  return type === 'boolean'
    ? 'checkbox'
    : type === 'enum'
      ? 'select'
      : type === 'tuple'
        ? 'pair'
        : type === 'array'
          ? 'list'
          : 'number';
}

/**
 * Reads a list typed as "16, 24 32" (commas, spaces or semicolons) into whole numbers, sorted
 * and without repeats, checked against the list field's schema; empty text is an empty list.
 */
export function parseWholeList(text: string, field: Schema): { values: number[]; error: string | null } {
  const { min, max } = numberBounds(listItems(field)!.item);
  const word = metaOf(field)?.unit === 'px' ? 'a size' : 'a whole number';
  const values: number[] = [];
  for (const part of text.split(/[\s,;]+/).filter(Boolean)) {
    const n = Number(part);
    if (!/^\d+$/.test(part) || (min !== null && n < min) || (max !== null && n > max))
      return { values: [], error: `“${part}” is not ${word} from ${min ?? 0} to ${max ?? '∞'}` };
    if (!values.includes(n)) values.push(n);
  }
  const checked = values.length ? field.safeParse(values) : null;
  if (checked && !checked.success) return { values: [], error: checked.error.issues[0]!.message };
  return { values: values.sort((a, b) => a - b), error: null };
}

/** The starting values: each field's schema default (lists as text, fields without one empty). */
export function formDefaults(schema: Schema, fields: FormFields): FormValues {
  const values: FormValues = {};
  for (const [key, path] of Object.entries(fields)) {
    const field = fieldSchema(schema, path);
    const fallback = structuredClone(defaultOf(field));
    const widget = widgetOf(field, fieldMeta(schema, path));
    if (widget === 'list') values[key] = (fallback as number[] | undefined)?.join(', ') ?? '';
    else values[key] = fallback ?? (widget === 'text' || widget === 'select' ? '' : null);
  }
  return values;
}

const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || v === '';

/** The request for the values: blank fields left out (so the schema says what is missing), lists parsed, nested by path. */
export function formRequest(schema: Schema, fields: FormFields, values: FormValues): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const [key, path] of Object.entries(fields)) {
    const widget = widgetOf(fieldSchema(schema, path), fieldMeta(schema, path));
    let value = values[key];
    if (widget === 'list') value = parseWholeList(String(value ?? ''), fieldSchema(schema, path)).values;
    if (widget === 'pair') value = (value as unknown[]).map((v) => (blank(v) ? undefined : v));
    if (widget === 'text' && typeof value === 'string') value = value.trim();
    if (blank(value) || (Array.isArray(value) && widget === 'list' && !value.length)) continue;
    const keys = path.split('.');
    let at = request;
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[keys.at(-1)!] = value;
  }
  return request;
}

export interface FormCheck {
  /** Form key → the first message for it. */
  errors: Record<string, string>;
  /** Messages about fields the form does not show. */
  other: string[];
  /** The request to send, or null while anything is wrong. */
  request: Record<string, unknown> | null;
}

/**
 * Field-level messages from the request schema. `context` joins the request: values the form
 * holds outside its hyperparameter fields (the dataset, the run a fine-tune starts from); their
 * messages are keyed by their own name. A blank field that has a default is an error too: it
 * must not quietly fall back to it.
 */
export function checkForm(
  schema: Schema,
  fields: FormFields,
  values: FormValues,
  context: Record<string, unknown> = {},
): FormCheck {
  const errors: Record<string, string> = {};
  const keyOf = new Map<string, string>([
    ...Object.entries(fields).map(([key, path]): [string, string] => [path, key]),
    ...Object.keys(context).map((k): [string, string] => [k, k]),
  ]);
  for (const [key, path] of Object.entries(fields)) {
    const field = fieldSchema(schema, path);
    const value = values[key];
    const widget = widgetOf(field, fieldMeta(schema, path));
    if (widget === 'list') {
      const error = parseWholeList(String(value ?? ''), field).error;
      if (error) errors[key] = error;
    } else if (widget === 'pair' ? (value as unknown[]).some(blank) : blank(value) && defaultOf(field) !== undefined)
      errors[key] = 'Enter a value';
  }
  const request = { ...context, ...formRequest(schema, fields, values) };
  const parsed = schema.safeParse(request);
  const other: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      // A tuple's issue names one end ("scale.0"): it belongs to the field.
      const key = [path.join('.'), path.slice(0, -1).join('.')].map((p) => keyOf.get(p)).find(Boolean);
      const message = readable(issue, valueAt(request, path), path.join('.'));
      if (key) errors[key] ??= message;
      else other.push(path.length ? `${path.join('.')}: ${message}` : message);
    }
  }
  const ok = parsed.success && !Object.keys(errors).length;
  return { errors, other, request: ok ? request : null };
}

function valueAt(request: Record<string, unknown>, path: string[]): unknown {
  return path.reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], request);
}

const RELATIONS = { min: ['≥', '>'], max: ['≤', '<'] } as const;

type Issue = {
  code: string;
  message: string;
  expected?: string;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  origin?: string;
};

/** A schema issue as a short sentence for under the field. */
export function readable(issue: Issue, value: unknown, field: string): string {
  if (field === 'datasetId' && value === undefined) return 'Choose a dataset';
  if (value === undefined || (Array.isArray(value) && value.includes(undefined))) return 'Enter a value';
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'Must be a whole number';
  if (issue.code === 'invalid_type') return 'Enter a number';
  if (issue.origin === 'number' && issue.code === 'too_small')
    return `Must be ${RELATIONS.min[issue.inclusive === false ? 1 : 0]} ${String(issue.minimum)}`;
  if (issue.origin === 'number' && issue.code === 'too_big')
    return `Must be ${RELATIONS.max[issue.inclusive === false ? 1 : 0]} ${String(issue.maximum)}`;
  return issue.message;
}
