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

/** The message of anything thrown (LabError, Error, or a plain value), as the lab wrote it: for parsing, not for showing. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : 'Unexpected error';
}

/** What to do next, per kind of failure (the lab's error codes). */
export const NEXT_STEP = {
  Invalid: 'Correct it and try again.',
  NotFound: 'It may have been deleted, perhaps from another window or the command line: reload the list.',
  Busy: 'Wait for it to finish, or cancel it first.',
  Conflict: 'Check its current state, then try again.',
  Environment: 'Fix what the message names (disk space, permissions, a missing library), then try again.',
  Cancelled: 'Start it again when you want it.',
  Interrupted: 'Resume it: it continues from its last checkpoint.',
  Internal: 'Try again; if it happens again, the status bar’s error list has the details to report.',
} as const;
type Code = keyof typeof NEXT_STEP;

/** Failures of the web page's own connection, with what fixes them. */
const NEXT_STEP_OF_NAME: Partial<Record<string, string>> = {
  Offline: 'Start it again (`npm run serve` or `fixres serve`), then reload this page.',
};

/** Error names (from before errors carried codes, and the platform's) and the kind they are. */
const CODE_OF_NAME: Partial<Record<string, Code>> = {
  ValidationError: 'Invalid',
  UserError: 'Invalid',
  BadRequest: 'Invalid',
  AbortError: 'Cancelled',
  EngineExited: 'Interrupted',
  OutOfMemory: 'Environment',
  EngineOutOfMemory: 'Environment',
  DataWorkerFailed: 'Environment',
};

/**
 * A message that already says what to do has an instruction at the start of a sentence or clause
 * ("Choose another folder", "…: rescan the dataset", "…; wait for its scan", "… or lower the batch"):
 * then nothing is added. ("No run with id 3" names a run; it tells nothing to do.)
 */
const SAYS_WHAT_TO_DO = new RegExp(
  '(^|[.:;!?—(]\\s*|\\b(?:then|or|and|to|please)\\s+)' +
    '(choose|give|pick|use|open|re-?open|rescan|scan|wait|cancel|start|run|try|retry|lower|raise|increase|set|install|' +
    'restore|update|free|fix|remove|delete|rename|resume|check|reload|create|move|put|point|train|sweep|type|restart|' +
    'select|tick|add|export|import|forget|make|allow|drop|enter|reinstall|rebuild|build|ask|close|keep|look|see)\\b',
  'i',
);

/** The kind of failure: the error's own code when it carries one, else what its name means. */
export function errorCode(err: unknown): Code {
  const own = (err as { code?: unknown } | null)?.code;
  if (typeof own === 'string' && own in NEXT_STEP) return own as Code;
  return (err instanceof Error && CODE_OF_NAME[err.name]) || 'Internal';
}

/**
 * An error as a view shows it (banner, toast, inline): the lab's message, followed by what to do
 * next when the message does not already say it.
 */
export function errorText(err: unknown): string {
  const message = messageOf(err);
  if (SAYS_WHAT_TO_DO.test(message)) return message;
  const separated = /[.!?…]$/.test(message.trim()) ? message.trim() : `${message.trim()}.`;
  const byName = err instanceof Error ? NEXT_STEP_OF_NAME[err.name] : undefined;
  return `${separated} ${byName ?? NEXT_STEP[errorCode(err)]}`;
}
