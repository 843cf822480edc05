import type { ErrorInfo } from './errors';

/** The reply to every request, on every transport. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
