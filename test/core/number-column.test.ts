import { describe, expect, it } from 'vitest';
import { parseNumberColumn } from '../../src/core/number-column';

describe('parseNumberColumn', () => {
  it('reads one number per line, skipping blank lines and # comments', () => {
    expect(Array.from(parseNumberColumn('# pooled features\n0\n1.5\r\n  -2e-3 \n\n.25\n+7\n'))).toEqual([
      0, 1.5, -0.002, 0.25, 7,
    ]);
  });

  it('names the line of anything that is not a finite decimal number', () => {
    expect(() => parseNumberColumn('1\n2\nthree\n')).toThrow(/Line 3 is not a finite number: "three"/);
    expect(() => parseNumberColumn('1\n0x10')).toThrow(/Line 2/);
    expect(() => parseNumberColumn('1\n1,5')).toThrow(/Line 2/);
    expect(() => parseNumberColumn('1e999')).toThrow(/Line 1/);
    expect(() => parseNumberColumn('NaN')).toThrow(/Line 1/);
  });

  it('refuses input without numbers', () => {
    expect(() => parseNumberColumn('')).toThrow(/no numbers/);
    expect(() => parseNumberColumn('\n# only a comment\n')).toThrow(/no numbers/);
  });
});
