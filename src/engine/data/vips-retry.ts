let serial: Promise<unknown> = Promise.resolve();

/**
 * Runs a sharp operation; when it fails, runs it once more, one retry at a time. libvips keeps a
 * single error buffer per process, so when several decodes fail at once one of them can find it
 * emptied ("unknown error") or holding another file's message. Failures are rare, so retrying
 * each one alone is cheap, and its message is the file's own.
 */
export async function withVipsErrorRetry<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    const retry = serial.then(operation);
    serial = retry.catch(() => undefined);
    return retry;
  }
}
