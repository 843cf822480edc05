/** How often a job's progress reaches the clients at most: a fast engine cannot flood them. */
export const PROGRESS_INTERVAL_MS = 250;

/** Lets one progress message per job through every interval, and always the ones that must not be lost. */
export class ProgressThrottle<K = number> {
  #last = new Map<K, number>();
  #intervalMs: number;
  #now: () => number;

  constructor(intervalMs = PROGRESS_INTERVAL_MS, now: () => number = () => performance.now()) {
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /** Whether job `key`'s message goes out now; `force` (an epoch's last batch, a new phase) always does. */
  due(key: K, force = false): boolean {
    const now = this.#now();
    if (!force && now - (this.#last.get(key) ?? -Infinity) < this.#intervalMs) return false;
    this.#last.set(key, now);
    return true;
  }

  /** Forgets a job that has ended. */
  forget(key: K): void {
    this.#last.delete(key);
  }
}
