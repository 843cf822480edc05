import { BucketGrid, BucketWindow, type BucketCounts } from './log-buckets';
import { Rng } from './rng';

/**
 * Pooled features on geometric buckets (src/core/log-buckets.ts): magnitudes of positive and of
 * negative values, each bucket within `accuracy` (relative) of every value in it. Exact zeros are
 * counted in ActivationSummary.zeros, not here.
 */
export interface FeatureHistogram {
  accuracy: number;
  positive: BucketCounts;
  negative: BucketCounts;
}

/** What is kept of the pooled features at one K_test: compact, serialisable, mergeable. */
export interface ActivationSummary {
  /** Finite values counted. */
  n: number;
  /** NaN/±∞ values seen and left out. */
  nonFinite: number;
  /** Exact zeros (features whose whole map was ≤ 0 before pooling). */
  zeros: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
  min: number;
  max: number;
  histogram: FeatureHistogram;
}

export interface AccumulatorOptions {
  /** Relative accuracy α of the histogram (default 0.01: every value within 1 % of its bucket's). */
  accuracy?: number;
  /** Most buckets per sign (default 2048 ≈ 17 decades at α = 0.01); tinier magnitudes fold into the lowest. */
  maxBuckets?: number;
  /** Keep a uniform random sample of this many values for fitting (Algorithm R), seeded. */
  reservoir?: { size: number; seed: number };
}

/**
 * Streams pooled features batch by batch in one pass. Geometric buckets need no range fixed in
 * advance (no reference resolution, no second pass, nothing clipped) and keep the same relative
 * resolution in the bulk and in the heavy tail; moments merge per batch with Chan's formula.
 */
export class ActivationAccumulator {
  readonly #grid: BucketGrid;
  readonly #positive: BucketWindow;
  readonly #negative: BucketWindow;
  #n = 0;
  #mean = 0;
  #m2 = 0;
  #min = Infinity;
  #max = -Infinity;
  #zeros = 0;
  #nonFinite = 0;
  #seen = 0;
  readonly #reservoir: Float64Array | null;
  readonly #rng: Rng | null;

  constructor(options: AccumulatorOptions = {}) {
    this.#grid = new BucketGrid(options.accuracy ?? 0.01);
    const maxBuckets = options.maxBuckets ?? 2048;
    if (!Number.isInteger(maxBuckets) || maxBuckets < 1)
      throw new RangeError(`maxBuckets must be a positive integer, got ${maxBuckets}`);
    this.#positive = new BucketWindow(maxBuckets);
    this.#negative = new BucketWindow(maxBuckets);
    this.#reservoir = options.reservoir ? new Float64Array(options.reservoir.size) : null;
    this.#rng = options.reservoir ? Rng.fromSeed(options.reservoir.seed) : null;
  }

  /** Adds one batch of values (any length; NaN/∞ are counted and skipped). */
  add(values: ArrayLike<number>): void {
    let count = 0;
    let sum = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) {
        this.#nonFinite++;
        continue;
      }
      count++;
      sum += v;
    }
    if (count === 0) return;
    const mean = sum / count;
    let m2 = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      m2 += (v - mean) * (v - mean);
      if (v < this.#min) this.#min = v;
      if (v > this.#max) this.#max = v;
      if (v > 0) this.#positive.add(this.#grid.index(v));
      else if (v < 0) this.#negative.add(this.#grid.index(-v));
      else this.#zeros++;
      this.#sample(v);
    }
    const n = this.#n + count;
    const delta = mean - this.#mean;
    this.#m2 += m2 + (delta * delta * this.#n * count) / n;
    this.#mean += (delta * count) / n;
    this.#n = n;
  }

  /** The reservoir sample (empty unless requested): a uniform sample of the values seen. */
  sample(): Float64Array {
    if (!this.#reservoir) return new Float64Array(0);
    return this.#reservoir.slice(0, Math.min(this.#seen, this.#reservoir.length));
  }

  summary(): ActivationSummary {
    return {
      n: this.#n,
      nonFinite: this.#nonFinite,
      zeros: this.#zeros,
      mean: this.#n ? this.#mean : 0,
      std: this.#n ? Math.sqrt(this.#m2 / this.#n) : 0,
      min: this.#n ? this.#min : 0,
      max: this.#n ? this.#max : 0,
      histogram: { accuracy: this.#grid.accuracy, positive: this.#positive.snapshot(), negative: this.#negative.snapshot() },
    };
  }

  #sample(v: number): void {
    const reservoir = this.#reservoir;
    if (!reservoir || reservoir.length === 0) return;
    const k = this.#seen++;
    if (k < reservoir.length) reservoir[k] = v;
    else {
      const j = this.#rng!.int(k + 1);
      if (j < reservoir.length) reservoir[j] = v;
    }
  }
}
