import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ALL_DOCUMENTS } from '../../../src/store/documents';

/**
 * The JSON shape of every version of every stored document, as JSON Schema. Choices (enums) and
 * numeric bounds are left out: a new architecture or backend is read by every version, and ranges
 * are the requests' business. If this fails, a stored shape
 * changed: never edit a shipped version, add the next one with its upgrade (src/store/documents/),
 * then record it with `npx vitest run --project unit test/store/documents/shapes.test.ts -u`.
 */
const IGNORED = new Set(['description', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);

function shapeOf(schema: z.ZodType): unknown {
  const withoutChoices = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(withoutChoices);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key]) => !IGNORED.has(key))
        .map(([key, value]) => [key, key === 'enum' ? 'one of a list' : withoutChoices(value)]),
    );
  };
  return withoutChoices(z.toJSONSchema(schema, { unrepresentable: 'any' }));
}

describe('stored document shapes', () => {
  it.each(Object.entries(ALL_DOCUMENTS))('%s keeps the shape of every version it ever stored', async (name, document) => {
    const shapes = Object.fromEntries(document.schemas.map((schema, i) => [`v${i + 1}`, shapeOf(schema)]));
    await expect(JSON.stringify(shapes, null, 2)).toMatchFileSnapshot(`__shapes__/${name}.json`);
  });
});
