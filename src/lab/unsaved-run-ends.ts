import type { Db } from '../store/db';
import * as store from '../store/runs';

/**
 * Ends of engine sessions the database could not take (disk full, read-only data folder). The
 * run is still shown as ended, with why that was not saved, and the end is written as soon as
 * the database accepts writes again, so the run can be resumed without restarting the app.
 */
export class UnsavedRunEnds {
  #db: Db;
  #ends = new Map<number, store.SessionEnd>();

  constructor(db: Db) {
    this.#db = db;
  }

  /** Writes `end`, or keeps it (with the database's reason) when the write fails. */
  save(id: number, end: store.SessionEnd): void {
    this.retry();
    try {
      store.endSession(this.#db, id, end);
      this.#ends.delete(id);
    } catch (err) {
      const reason = (err as Error).message;
      const error = !end.error
        ? `not saved: ${reason}`
        : end.error.includes(reason)
          ? end.error
          : `${end.error} (not saved: ${reason})`;
      this.#ends.set(id, { ...end, error });
    }
  }

  /** Writes the ends kept earlier, stopping at the first the database still refuses. */
  retry(): void {
    for (const [id, end] of this.#ends) {
      try {
        store.endSession(this.#db, id, end);
      } catch {
        return;
      }
      this.#ends.delete(id);
    }
  }

  /** A stored run as the user must see it: with its unsaved end applied. */
  apply(row: store.RunRow): store.RunRow {
    const end = this.#ends.get(row.id);
    return end ? { ...row, status: end.status, error: end.error ?? null } : row;
  }
}
