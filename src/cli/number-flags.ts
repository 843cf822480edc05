/** Thrown for a malformed command-line value; the command prints it and exits with status 2. */
export class FlagError extends Error {
  override name = 'FlagError';
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COUNT_WORDS = ['no', 'one', 'two', 'three', 'four'];

/** `--flag 12.5` → 12.5; undefined when absent; a FlagError naming the flag for anything else. */
export function numberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!NUMBER.test(value.trim())) throw new FlagError(`--${flag} must be a number, got "${value}"`);
  return Number(value);
}

/** `--flag 0.08,1` → [0.08, 1]. */
export function pairFlag(flag: string, value: string | undefined): [number, number] | undefined {
  return numbersFlag(flag, value, { count: 2, whole: false }) as [number, number] | undefined;
}

/** `--flag 24,32,40` → [24, 32, 40]: exactly `count` numbers when given, whole numbers when asked. */
export function numbersFlag(flag: string, value: string | undefined, o: { count: number | null; whole: boolean }): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((p) => p.trim());
  if (o.count !== null && parts.length !== o.count) {
    const count = COUNT_WORDS[o.count] ?? String(o.count);
    throw new FlagError(`--${flag} takes ${count} ${o.whole ? 'whole ' : ''}numbers separated by ${o.count === 2 ? 'a comma' : 'commas'}, got "${value}"`);
  }
  if (o.whole && parts.some((p) => !/^\d+$/.test(p)))
    throw new FlagError(`--${flag} takes whole numbers separated by commas, got "${value}"`);
  return parts.map((p) => numberFlag(flag, p)!);
}

/** `--flag 24,32,40` → whole numbers, as many as given. */
export function listFlag(flag: string, value: string | undefined): number[] | undefined {
  return numbersFlag(flag, value, { count: null, whole: true });
}
