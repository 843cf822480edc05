import { Rng } from './rng';

/**
 * A power-of-two histogram: bin i of `positive` covers [i·w, (i+1)·w), bin i of `negative` covers
 * (−(i+1)·w, −i·w], with w = 2^widthExponent (null while only zeros were seen; zeros sit in
 * positive bin 0). Every such histogram can be re-binned exactly onto any coarser power-of-two
 * grid, so summaries taken at different resolutions can later share bins.
 */
export interface FineHistogram {
  widthExponent: number | null;
  positive: number[];
  negative: number[];
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
  histogram: FineHistogram;
}

export interface AccumulatorOptions {
  /** Fine bins per sign (even; default 1024). The range holds between half and all of them. */
  bins?: number;
  /** Keep a uniform random sample of this many values for fitting (Algorithm R), seeded. */
  reservoir?: { size: number; seed: number };
}

/**
 * Streams pooled features batch by batch in one pass. The histogram range grows by doubling
 * the bin width (merging bin pairs) when a value falls beyond the last bin, so no reference
 * resolution or second pass is needed and nothing is clipped; moments merge with Chan's formula.
 */
export class ActivationAccumulator {
  readonly #bins: number;
  #exponent: number | null = null;
  #positive: Float64Array;
  #negative: Float64Array;
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
    this.#bins = options.bins ?? 1024;
    if (!Number.isInteger(this.#bins) || this.#bins < 2 || this.#bins % 2 !== 0)
      throw new RangeError(`bins must be an even integer ≥ 2, got ${this.#bins}`);
    this.#positive = new Float64Array(this.#bins);
    this.#negative = new Float64Array(this.#bins);
    this.#reservoir = options.reservoir ? new Float64Array(options.reservoir.size) : null;
    this.#rng = options.reservoir ? Rng.fromSeed(options.reservoir.seed) : null;
  }

  /** Adds one batch of values (any length; NaN/∞ are counted and skipped). */
  add(values: ArrayLike<number>): void {
    let count = 0;
    let sum = 0;
    let maxAbs = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) {
        this.#nonFinite++;
        continue;
      }
      count++;
      sum += v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    if (count === 0) return;
    if (maxAbs > 0) this.#fit(maxAbs);
    const mean = sum / count;
    let m2 = 0;
    const inverseWidth = this.#exponent === null ? 0 : 2 ** -this.#exponent;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      m2 += (v - mean) * (v - mean);
      if (v < this.#min) this.#min = v;
      if (v > this.#max) this.#max = v;
      if (v === 0) this.#zeros++;
      if (v < 0) this.#negative[Math.floor(-v * inverseWidth)]!++;
      else this.#positive[Math.floor(v * inverseWidth)]!++;
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
      histogram: { widthExponent: this.#exponent, positive: trimmed(this.#positive), negative: trimmed(this.#negative) },
    };
  }

  /** Widens bins (by merging pairs) until maxAbs falls inside the last bin. */
  #fit(maxAbs: number): void {
    if (this.#exponent === null) {
      // Floor at 2^-1000: finer bins would overflow 1/width for subnormal values.
      let e = Math.max(-1000, Math.floor(Math.log2(maxAbs / this.#bins)));
      while (maxAbs >= this.#bins * 2 ** e) e++;
      this.#exponent = e;
      return;
    }
    while (maxAbs >= this.#bins * 2 ** this.#exponent) {
      mergePairs(this.#positive);
      mergePairs(this.#negative);
      this.#exponent++;
    }
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

function mergePairs(bins: Float64Array): void {
  const half = bins.length / 2;
  for (let i = 0; i < half; i++) bins[i] = bins[2 * i]! + bins[2 * i + 1]!;
  bins.fill(0, half);
}

function trimmed(bins: Float64Array): number[] {
  let end = bins.length;
  while (end > 0 && bins[end - 1] === 0) end--;
  return Array.from(bins.subarray(0, end));
}
