import { z } from 'zod';

/**
 * What kind of failure an error is. Code that must act on an error (show "not found", end a job
 * as cancelled or interrupted, exit with a usage error) reads its code, never its message:
 *
 * - `Invalid`: the request or the data it names cannot work as given (a field out of range, a
 *   dataset with one class, a malformed engine message). Fix the input and ask again.
 * - `NotFound`: what the request names does not exist (no run with that id, a folder that is gone).
 * - `Busy`: it is queued, running or scanning now; wait for it or cancel it first.
 * - `Conflict`: its state forbids the request otherwise (a completed run has nothing to resume,
 *   a stopped sweep cannot be cancelled, an export would overwrite an earlier one).
 * - `Environment`: the machine refused (disk full, read-only folder, out of memory, a missing
 *   native library or dialog); the same request can work once that is fixed.
 * - `Cancelled`: the user stopped it.
 * - `Interrupted`: the process doing it died (an engine crash or kill); it can be resumed.
 * - `Internal`: anything else — a bug; the message says what happened.
 */
export const ERROR_CODES = [
  'Invalid',
  'NotFound',
  'Busy',
  'Conflict',
  'Environment',
  'Cancelled',
  'Interrupted',
  'Internal',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** An error as data: what crosses IPC, HTTP and process boundaries (Error subclasses do not survive them). */
export const ErrorInfo = z.object({
  /** A stable, specific name ("ValidationError", "EngineExited", …); `code` is what to act on. */
  name: z.string(),
  message: z.string(),
  code: ErrorCode,
  /** Field path for validation errors, e.g. "cfg.kTrain". */
  field: z.string().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

/** An error rebuilt from (or made as) ErrorInfo: thrown by clients when a request fails, and by the lab. */
export class LabError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = info.name;
    this.code = info.code;
    if (info.field !== undefined) this.field = info.field;
  }
}

/** A user-facing error with a stable name; safe to show as is. `code` says what kind (default: Invalid). */
export function userError(message: string, field?: string, code: ErrorCode = 'Invalid'): LabError {
  return new LabError({ name: 'UserError', message, code, ...(field ? { field } : {}) });
}

/** The code of anything thrown: its own when it carries one, else what its name or system error code means. */
export function errorCodeOf(err: unknown): ErrorCode {
  if (!(err instanceof Error)) return 'Internal';
  const own = ErrorCode.safeParse((err as { code?: unknown }).code);
  if (own.success) return own.data;
  const system = (err as { code?: unknown }).code;
  // SQLite's extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED) share their primary code's meaning.
  const primary = typeof system === 'string' ? (/^SQLITE_[A-Z]+/.exec(system)?.[0] ?? system) : '';
  if (SYSTEM_CODES[primary]) return SYSTEM_CODES[primary];
  return NAMED_CODES[err.name] ?? 'Internal';
}

/** Normalises anything thrown into ErrorInfo. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof Error) {
    const field = (err as { field?: unknown }).field;
    return {
      name: err.name || 'Error',
      message: err.message,
      code: errorCodeOf(err),
      ...(typeof field === 'string' ? { field } : {}),
    };
  }
  return { name: 'Error', message: String(err), code: 'Internal' };
}

/** Errors made elsewhere (the platform, libraries) that carry only a name. */
const NAMED_CODES: Partial<Record<string, ErrorCode>> = {
  AbortError: 'Cancelled',
  ZodError: 'Invalid',
};

/** Node's and SQLite's error codes that say the machine refused. */
const SYSTEM_CODES: Partial<Record<string, ErrorCode>> = {
  ENOENT: 'NotFound',
  ENOTDIR: 'NotFound',
  ENOSPC: 'Environment',
  EDQUOT: 'Environment',
  EROFS: 'Environment',
  EACCES: 'Environment',
  EPERM: 'Environment',
  EMFILE: 'Environment',
  EIO: 'Environment',
  SQLITE_FULL: 'Environment',
  SQLITE_READONLY: 'Environment',
  SQLITE_IOERR: 'Environment',
  SQLITE_CANTOPEN: 'Environment',
  SQLITE_BUSY: 'Busy',
  SQLITE_CORRUPT: 'Environment',
};
