/** A rung that cannot load: why (the message), and what would make it load. */
export interface RungError extends Error {
  action: string | null;
}

/** The error a rung throws when it cannot load here. */
export function unavailable(reason: string, action: string | null = null): RungError {
  return Object.assign(new Error(reason), { action });
}

/** What to do about a rung's failure: its action when it said one. */
export function actionOf(err: unknown): string | null {
  const action = (err as { action?: unknown } | null)?.action;
  return typeof action === 'string' ? action : null;
}

/** The first line of an error's message (native loaders append stack-like detail). */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
}
