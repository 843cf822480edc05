let serial: Promise<unknown> = Promise.resolve();

/**
 * Runs a sharp operation; when it fails with libvips's bare "unknown error", runs it once more,
 * one retry at a time. libvips keeps a single error buffer per process, so when several decodes
 * fail at once one of them can find it emptied; the retry recovers the real reason.
 */
export async function withVipsErrorRetry<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (!(err instanceof Error) || !/^unknown error$/i.test(err.message.trim())) throw err;
    const retry = serial.then(operation);
    serial = retry.catch(() => undefined);
    return retry;
  }
}
