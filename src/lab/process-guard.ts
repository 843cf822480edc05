/** An error nothing handled, as the guard reports it. */
export interface UnhandledError {
  /** `unhandledRejection` or `uncaughtException`. */
  source: 'unhandledRejection' | 'uncaughtException';
  /** One line: the error's name and message. */
  message: string;
  /** Where it was thrown, for the log (not sent to clients). */
  stack?: string;
}

/** The part of `process` the guard listens on (a stand-in in tests). */
export type GuardedProcess = Pick<NodeJS.Process, 'on' | 'off'>;

/**
 * Keeps a long-lived lab process (web mode, the desktop app, a CLI command) running when a promise
 * rejection or an exception escapes every handler: Node would otherwise end the process, and with it
 * every job and client. Each one is handed to `report` (a log line, an event for the UI) instead.
 * Returns the function that removes the guard.
 */
export function guardProcess(report: (error: UnhandledError) => void, target: GuardedProcess = process): () => void {
  const onRejection = (reason: unknown) => report(describe('unhandledRejection', reason));
  const onException = (err: Error) => report(describe('uncaughtException', err));
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}

/** A report as stderr text: what happened, where, and that the lab kept running. */
export function unhandledErrorLog(error: UnhandledError): string {
  return `FixRes Lab: unexpected error (${error.source}), kept running: ${error.stack ?? error.message}\n`;
}

function describe(source: UnhandledError['source'], reason: unknown): UnhandledError {
  if (!(reason instanceof Error)) return { source, message: String(reason) };
  return { source, message: `${reason.name}: ${reason.message}`, ...(reason.stack ? { stack: reason.stack } : {}) };
}
