import { userError } from '../shared/errors';

/** Parses an optional number option ("--k 128"), naming the option in the error. */
export function numberOption(values: Record<string, unknown>, name: string, fallback?: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n))
    throw userError(`--${name} must be a number, got "${String(raw)}"`, name);
  return n;
}

/** Parses an optional "a,b" pair of numbers. */
export function pairOption(values: Record<string, unknown>, name: string): [number, number] | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const parts = String(raw)
    .split(',')
    .map((p) => Number(p.trim()));
  if (parts.length !== 2 || parts.some((p) => !Number.isFinite(p)))
    throw userError(`--${name} must be two numbers like 0.08,1 — got "${String(raw)}"`, name);
  return [parts[0]!, parts[1]!];
}
