import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/engine/data/csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and newlines, CRLF and a BOM', () => {
    const text = '\ufeffpath,label\r\n"a, b.jpg",cat\r\n"say ""hi"".png","multi\nline"\n\nc.png,dog';
    expect(parseCsv(text)).toEqual([
      ['path', 'label'],
      ['a, b.jpg', 'cat'],
      ['say "hi".png', 'multi\nline'],
      ['c.png', 'dog'],
    ]);
  });

  it('keeps empty fields and drops blank lines', () => {
    expect(parseCsv('a,,c\n\n,\n')).toEqual([['a', '', 'c']]);
  });
});
