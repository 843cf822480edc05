/** An error as data: what crosses IPC, HTTP and process boundaries (Error subclasses do not survive them). */
export interface ErrorInfo {
  name: string;
  message: string;
  /** Field path for validation errors, e.g. "cfg.kTrain". */
  field?: string;
}

/** Thrown by clients when a request fails; carries the ErrorInfo it was rebuilt from. */
export class LabError extends Error {
  readonly field?: string;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = info.name;
    this.field = info.field;
  }
}

/** Normalises anything thrown into ErrorInfo. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof Error) {
    const field = (err as { field?: unknown }).field;
    return { name: err.name || 'Error', message: err.message, ...(typeof field === 'string' ? { field } : {}) };
  }
  return { name: 'Error', message: String(err) };
}

/** A user-facing error with a stable name; safe to show as is. */
export function userError(message: string, field?: string): Error {
  const err = new Error(message) as Error & { field?: string };
  err.name = 'UserError';
  if (field) err.field = field;
  return err;
}
