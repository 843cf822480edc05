import { errorCodeOf } from '../../../shared/errors';

/**
 * Whether an error says the run (dataset, sweep, workflow) a view is about is not there: deleted
 * (ids are never reused, so the lab knows) or never existed; null for any other error. Read from
 * the error's code and name (src/lab/missing-row.ts), never from its wording.
 */
export function missingRow(err: unknown): 'deleted' | 'unknown' | null {
  if (errorCodeOf(err) !== 'NotFound' || !(err instanceof Error)) return null;
  if (err.name === 'RowDeleted') return 'deleted';
  return err.name === 'NoSuchRow' ? 'unknown' : null;
}

/** The message of anything thrown (LabError, Error, or a plain value). */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : 'Unexpected error';
}
