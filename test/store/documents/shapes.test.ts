import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ALL_DOCUMENTS } from '../../../src/store/documents';

/**
 * The JSON shape of every version of every stored document, as JSON Schema reduced to its
 * structure: choices (enums), bounds, labels and help are left out (a new architecture or backend
 * is read by every version; ranges are the requests' business). If this fails, a stored shape
 * changed: never edit a shipped version, add the next one with its upgrade (src/store/documents/),
 * then record it with `npx vitest run --project unit test/store/documents/shapes.test.ts -u`.
 */
/** JSON Schema keywords that describe structure; the rest (labels, help, bounds) is not the stored shape. */
const STRUCTURE = new Set([
  'type',
  'properties',
  'required',
  'items',
  'prefixItems',
  'additionalProperties',
  'anyOf',
  'oneOf',
  'allOf',
  'enum',
  'const',
  '$ref',
  '$defs',
]);
/** Keywords whose value maps names (fields, definitions) to schemas. */
const MAPS = new Set(['properties', '$defs']);

function structure(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(structure);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => STRUCTURE.has(key))
      .map(([key, value]) => [
        key,
        key === 'enum'
          ? 'one of a list'
          : MAPS.has(key)
            ? Object.fromEntries(Object.entries(value as object).map(([name, schema]) => [name, structure(schema)]))
            : structure(value),
      ]),
  );
}

const shapeOf = (schema: z.ZodType) => structure(z.toJSONSchema(schema, { unrepresentable: 'any' }));

describe('stored document shapes', () => {
  it.each(Object.entries(ALL_DOCUMENTS))('%s keeps the shape of every version it ever stored', async (name, document) => {
    const shapes = Object.fromEntries(document.schemas.map((schema, i) => [`v${i + 1}`, shapeOf(schema)]));
    await expect(JSON.stringify(shapes, null, 2)).toMatchFileSnapshot(`__shapes__/${name}.json`);
  });
});
