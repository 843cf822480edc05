/** One CSV record and the line of the file it starts on (1-based, as editors number lines). */
export interface CsvRow {
  line: number;
  fields: string[];
}

/** A part of the file that is not a record, with its line. */
export interface CsvProblem {
  line: number;
  reason: string;
}

/**
 * Parses RFC 4180 CSV: quoted fields with "" escapes and embedded commas/newlines; CRLF or LF.
 * Blank lines are dropped but counted, so every row keeps the line it starts on. A quote that is
 * never closed would swallow the rest of the file into one field: that row is reported as a
 * problem and parsing resumes on the next line.
 */
export function parseCsv(text: string): { rows: CsvRow[]; problems: CsvProblem[] } {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const record = readRecord(src, i, line);
    if (record.unterminatedQuote) {
      problems.push({ line, reason: 'unterminated quote: a field opens a quote that the file never closes' });
      i = nextLineStart(src, i);
      line += 1;
      continue;
    }
    if (record.fields.some((f) => f !== '')) rows.push({ line, fields: record.fields });
    i = record.next;
    line = record.nextLine;
  }
  return { rows, problems };
}

interface RecordRead {
  fields: string[];
  /** Where the next record starts, and its line. */
  next: number;
  nextLine: number;
  unterminatedQuote: boolean;
}

/** Reads one record starting at `start` (on line `line`), up to and including its line break. */
function readRecord(src: string, start: number, line: number): RecordRead {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = start; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n' || (ch === '\r' && src[i + 1] !== '\n')) line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      fields.push(field);
      return { fields, next: i + 1, nextLine: line + 1, unterminatedQuote: false };
    } else field += ch;
  }
  fields.push(field);
  return { fields, next: src.length, nextLine: line, unterminatedQuote: quoted };
}

/** The start of the line after the one `index` is on. */
function nextLineStart(src: string, index: number): number {
  const lf = src.indexOf('\n', index);
  const cr = src.indexOf('\r', index);
  const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
  if (end < 0) return src.length;
  return src[end] === '\r' && src[end + 1] === '\n' ? end + 2 : end + 1;
}
