import type { z } from 'zod';

/**
 * What a field's schema says about it, for the code that presents it (CLI flags, form controls):
 * the type inside its wrappers, its default, its range, its choices and its items.
 */

type Wrapped = { def: { innerType?: z.ZodType } };
type Def = { type: string; items?: z.ZodType[]; element?: z.ZodType; entries?: Record<string, string> };

/** The schema inside optional / default / prefault / nullable wrappers. */
export function innerSchema(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let inner = (s as unknown as Wrapped).def.innerType; inner; inner = (s as unknown as Wrapped).def.innerType) s = inner;
  return s;
}

const defOf = (schema: z.ZodType) => (innerSchema(schema) as unknown as { def: Def }).def;

/** The kind of value inside the wrappers: "number", "boolean", "enum", "tuple", "array", "string", "object", … */
export function fieldType(schema: z.ZodType): string {
  return defOf(schema).type;
}

/** An enum field's values, in schema order (none for anything else). */
export function enumValues(schema: z.ZodType): string[] {
  return Object.values(defOf(schema).entries ?? {});
}

/** A tuple's or list's item schema and how many items it takes (null: any number), or null for anything else. */
export function listItems(schema: z.ZodType): { item: z.ZodType; count: number | null } | null {
  const def = defOf(schema);
  if (def.element) return { item: def.element, count: null };
  return def.items?.[0] ? { item: def.items[0], count: def.items.length } : null;
}

/** A field's default value (its outermost `.default()`), or undefined. */
export function defaultOf(schema: z.ZodType): unknown {
  for (let s: z.ZodType | undefined = schema; s; s = (s as unknown as Wrapped).def.innerType) {
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
