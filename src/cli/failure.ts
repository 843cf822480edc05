import { ERROR_CODES, errorCodeOf, type ErrorCode } from '../shared/errors';
import { printJson } from './output';

/** What kind of failure: the lab's error codes (src/shared/errors.ts), what a script reading `--json` acts on, never the message. */
export const CLI_ERROR_CODES = ERROR_CODES;
export type CliErrorCode = ErrorCode;

/**
 * The exit status: 2 when the command line itself is wrong (usage, a malformed flag, a request field
 * the lab refuses), 130 when cancelled (Ctrl+C), else 1.
 */
export function exitStatusOf(err: unknown): number {
  if (err instanceof CliFailure) return err.exitStatus;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return 2;
  if (err instanceof Error && COMMAND_LINE_NAMES.has(err.name)) return 2;
  return cliErrorCode(err) === 'Cancelled' ? 130 : 1;
}

/** Errors that mean the command line was wrong: the CLI's own flag parsing, the lab's request validation. */
const COMMAND_LINE_NAMES = new Set(['FlagError', 'ValidationError']);

/**
 * A command that ends without doing what it was asked: the message, its code, and what `--json`
 * prints beside the error (e.g. the run that failed). Commands throw it; `main` reports it.
 */
export class CliFailure extends Error {
  override name = 'CliFailure';
  constructor(
    message: string,
    readonly code: CliErrorCode,
    readonly extra: Record<string, unknown> = {},
    readonly exitStatus = code === 'Cancelled' ? 130 : 1,
  ) {
    super(message);
  }
}

/** A command line that names no valid sub-command, id or required flag: its usage, as an Invalid failure (exit 2). */
export function usageFailure(usage: string): CliFailure {
  return new CliFailure(`usage: ${usage}`, 'Invalid', {}, 2);
}

/** Names of errors that mean the input was wrong, from the CLI's own parsing and the lab's validation. */
const INVALID_NAMES = new Set(['FlagError', 'ValidationError', 'ZodError', 'UserError']);

/** The code of anything a command threw: its own when it carries one, else what its name or system code means. */
export function cliErrorCode(err: unknown): CliErrorCode {
  if (!(err instanceof Error)) return 'Internal';
  const own = (err as { code?: unknown }).code;
  // parseArgs refuses an unknown or malformed option with a TypeError carrying this code.
  if (typeof own === 'string' && own.startsWith('ERR_PARSE_ARGS')) return 'Invalid';
  if (INVALID_NAMES.has(err.name) && !(typeof own === 'string' && (ERROR_CODES as readonly string[]).includes(own)))
    return 'Invalid';
  if (err.name === 'AbortError') return 'Cancelled';
  // The lab's own reading: an error's code, else what its system error code or name means.
  return errorCodeOf(err);
}

/**
 * Reports a failed command and returns its exit status: with `--json`, one JSON document on
 * stdout, `{"error": {"code", "message", "field"?}, …extra}`, so scripts parse failures like
 * results; otherwise "error: …" (or the usage) on stderr.
 */
export function reportFailure(err: unknown, json: boolean): number {
  const code = cliErrorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  const field = (err as { field?: unknown } | null)?.field;
  if (json) {
    const extra = err instanceof CliFailure ? err.extra : {};
    printJson({ error: { code, message, ...(typeof field === 'string' ? { field } : {}) }, ...extra });
  } else {
    process.stderr.write(message.startsWith('usage: ') ? `${message}\n` : `error: ${message}\n`);
  }
  return exitStatusOf(err);
}
