import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/engine/data/csv';

const fieldsOf = (text: string) => parseCsv(text).rows.map((r) => r.fields);

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and newlines, CRLF and a BOM', () => {
    const text = '\ufeffpath,label\r\n"a, b.jpg",cat\r\n"say ""hi"".png","multi\nline"\n\nc.png,dog';
    expect(fieldsOf(text)).toEqual([
      ['path', 'label'],
      ['a, b.jpg', 'cat'],
      ['say "hi".png', 'multi\nline'],
      ['c.png', 'dog'],
    ]);
  });

  it('keeps empty fields and drops blank lines', () => {
    expect(fieldsOf('a,,c\n\n,\n')).toEqual([['a', '', 'c']]);
  });

  it('numbers each row by the line it starts on, counting blank lines, quoted line breaks and CR, CRLF or LF endings', () => {
    const text = 'path,label\n\n\na.png,cat\r\n"b\nc.png","x\r\ny"\rd.png,dog\n\ne.png,cat';
    expect(parseCsv(text).rows.map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'path'],
      [4, 'a.png'],
      [5, 'b\nc.png'],
      [8, 'd.png'],
      [10, 'e.png'],
    ]);
  });

  it('reports a quote the file never closes on its line and reads the lines after it', () => {
    const text = 'path,label\na.png,cat\n"b.png,dog\nc.png,cat\nd.png,dog\n';
    const { rows, problems } = parseCsv(text);
    expect(rows.map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'path'],
      [2, 'a.png'],
      [4, 'c.png'],
      [5, 'd.png'],
    ]);
    expect(problems).toEqual([{ line: 3, reason: expect.stringMatching(/^unterminated quote/) }]);
  });
});
