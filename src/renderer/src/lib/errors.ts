/**
 * How the lab said a run (dataset, sweep, workflow) is not there: deleted (ids are never reused,
 * so the lab knows), or never existed; null for any other error.
 */
export function missingRow(message: string): 'deleted' | 'unknown' | null {
  if (/^[A-Z]\w+ #\d+ was deleted$/.test(message)) return 'deleted';
  if (/^No \w+ with id \d+$/.test(message)) return 'unknown';
  return null;
}

/** The message of anything thrown (LabError, Error, or a plain value). */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : 'Unexpected error';
}
