import type { LabClient } from '../../../shared/client';

/** One error the status bar lists: where it happened and what it said. */
export interface LoggedError {
  id: number;
  source: string;
  message: string;
  at: Date;
}

const KEEP = 20;

/**
 * Errors that have no view to show them in (uncaught exceptions, a view that failed to render,
 * a lost connection), newest first, for the status bar. Views show their own errors in place.
 */
export class ErrorLog {
  #items = $state.raw<LoggedError[]>([]);
  #nextId = 1;

  get items(): LoggedError[] {
    return this.#items;
  }
  get latest(): LoggedError | null {
    return this.#items[0] ?? null;
  }

  /** Lists errors the lab process reports (one escaped every handler there; the lab kept running). */
  listen(client: LabClient): () => void {
    return client.on('app.error', (error) => this.report('FixRes Lab (kept running)', error.message));
  }

  report(source: string, message: string): void {
    const entry = { id: this.#nextId++, source, message, at: new Date() };
    this.#items = [entry, ...this.#items].slice(0, KEEP);
  }

  dismiss(id: number): void {
    this.#items = this.#items.filter((e) => e.id !== id);
  }

  reset(): void {
    this.#items = [];
  }
}
