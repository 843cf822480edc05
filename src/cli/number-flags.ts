/** Thrown for a malformed command-line value; the command prints it and exits with status 2. */
export class FlagError extends Error {
  override name = 'FlagError';
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** `--flag 12.5` → 12.5; undefined when absent; a FlagError naming the flag for anything else. */
export function numberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!NUMBER.test(value.trim())) throw new FlagError(`--${flag} must be a number, got "${value}"`);
  return Number(value);
}

/** `--flag 0.08,1` → [0.08, 1]. */
export function pairFlag(flag: string, value: string | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',');
  if (parts.length !== 2) throw new FlagError(`--${flag} takes two numbers separated by a comma, got "${value}"`);
  return [numberFlag(flag, parts[0])!, numberFlag(flag, parts[1])!];
}
