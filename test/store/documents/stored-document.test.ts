import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { DocumentHistory } from '../../../src/store/documents/stored-document';

/** A document that gained a unit (v2) and then renamed a field (v3). */
const history = DocumentHistory.start('size', z.strictObject({ size: z.number() }))
  .then(z.strictObject({ size: z.number(), unit: z.enum(['px', 'cm']) }), (v1) => ({ ...v1, unit: 'px' as const }))
  .then(z.strictObject({ side: z.number(), unit: z.enum(['px', 'cm']) }), ({ size, unit }) => ({ side: size, unit }));
const sizes = history.done({ unmarkedUpTo: 2 });

describe('stored documents', () => {
  it('writes the latest version with its mark and reads it back as it was', () => {
    const text = sizes.write({ side: 3, unit: 'cm' });
    expect(JSON.parse(text)).toEqual({ $v: 3, side: 3, unit: 'cm' });
    expect(sizes.read(text, 'row 1')).toEqual({ side: 3, unit: 'cm' });
  });

  it('upgrades a marked older version through every later one', () => {
    expect(sizes.read('{"$v":1,"size":5}', 'row 1')).toEqual({ side: 5, unit: 'px' });
    expect(sizes.read('{"$v":2,"size":5,"unit":"cm"}', 'row 1')).toEqual({ side: 5, unit: 'cm' });
  });

  it('recognises unmarked documents by their shape, newest first, among the versions stored before marks', () => {
    expect(sizes.read('{"size":5,"unit":"cm"}', 'row 1')).toEqual({ side: 5, unit: 'cm' });
    expect(sizes.read('{"size":5}', 'row 1')).toEqual({ side: 5, unit: 'px' });
    // Version 3 was always marked: an unmarked document of its shape was not written by FixRes Lab.
    expect(() => sizes.read('{"side":5,"unit":"cm"}', 'row 1')).toThrow(
      /stored size of row 1 matches no version FixRes Lab ever wrote/,
    );
  });

  it('names the row and the problem when a document is not JSON, of an unknown version or of the wrong shape', () => {
    expect(() => sizes.read('{size', 'run #4')).toThrow(
      /The stored size of run #4 is not JSON \(\{size\)\. It was written outside FixRes Lab or damaged: restore lab\.sqlite from a backup\./,
    );
    expect(() => sizes.read('{"$v":9,"side":1}', 'run #4')).toThrow(/has version 9; this FixRes Lab knows versions 1–3/);
    expect(() => sizes.read('{"$v":3,"side":"big","unit":"px"}', 'run #4')).toThrow(/run #4 is not a valid version 3 \(side: /);
    expect(() => sizes.read('{"$v":1,"size":1,"extra":true}', 'run #4')).toThrow(/not a valid version 1/);
  });

  it('refuses to store a document of the wrong shape', () => {
    expect(() => sizes.write({ side: 1, unit: 'mm' } as never)).toThrow(/Refusing to store a size of the wrong shape: unit/);
  });
});
