/**
 * The largest resident set size seen while a job runs, sampled every `intervalMs` and on demand.
 * Per job, unlike `resourceUsage().maxRSS`, which covers the engine process's whole life
 * (the compute engine outlives runs).
 */
export class PeakMemory {
  #peak = 0;
  #timer: NodeJS.Timeout;

  constructor(intervalMs = 500) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): void {
    this.#peak = Math.max(this.#peak, process.memoryUsage().rss);
  }

  /** Stops sampling; returns the peak in MB. */
  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    return this.#peak / (1024 * 1024);
  }
}
