/** How a job ended, as its row stores it. */
interface End {
  status: string;
  error?: string | null;
}

/**
 * Ends of jobs (runs, sweeps, scans, workflows) the database could not take (disk full, read-only data folder). The job is still
 * shown as ended, with why that was not saved, and the end is written as soon as the database
 * accepts writes again, so the job can be resumed without restarting the app.
 */
export class UnsavedEnds<E extends End> {
  #write: (id: number, end: E) => void;
  #ends = new Map<number, E>();

  constructor(write: (id: number, end: E) => void) {
    this.#write = write;
  }

  /** Writes `end`, or keeps it (with the database's reason) when the write fails. */
  save(id: number, end: E): void {
    this.retry();
    try {
      this.#write(id, end);
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
        this.#write(id, end);
      } catch {
        return;
      }
      this.#ends.delete(id);
    }
  }

  /** A stored row as the user must see it: with its unsaved end applied. */
  apply<R extends { id: number; status: string; error: string | null }>(row: R): R {
    const end = this.#ends.get(row.id);
    // The end's status is one the row's column holds (the stores type both from RunStatusValue).
    return end ? ({ ...row, status: end.status, error: end.error ?? null } as R) : row;
  }
}
