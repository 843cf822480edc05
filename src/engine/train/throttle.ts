/** At most one event per `intervalMs` (the first always passes): ≤ 4 progress events/s at 250 ms. */
export class Throttle {
  #intervalMs: number;
  #now: () => number;
  #last = -Infinity;

  constructor(intervalMs: number, now: () => number = Date.now) {
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /** True (and starts a new interval) when an event may go out now. */
  ready(): boolean {
    const t = this.#now();
    if (t - this.#last < this.#intervalMs) return false;
    this.#last = t;
    return true;
  }
}
