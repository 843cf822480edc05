const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a plain column of numbers, one per line (blank lines and `#` comments skipped, so a
 * trailing newline or a header comment is fine). Anything else is refused, naming its line.
 */
export function parseNumberColumn(text: string): Float64Array {
  const values: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const value = Number(line);
    if (!DECIMAL.test(line) || !Number.isFinite(value))
      throw new RangeError(`Line ${i + 1} is not a finite number: "${line.length > 40 ? `${line.slice(0, 40)}…` : line}"`);
    values.push(value);
  }
  if (values.length === 0) throw new RangeError('The input holds no numbers');
  return Float64Array.from(values);
}
