/**
 * Counts of magnitudes on geometric buckets (the DDSketch idea): bucket k holds values in
 * (γ^(k−1), γ^k] with γ = (1 + α)/(1 − α), so reporting a bucket by its representative
 * 2γ^k/(γ + 1) is off by at most the relative accuracy α, whatever the range. Buckets of two
 * sketches with the same α coincide, so sketches merge and overlay exactly.
 */
export interface BucketCounts {
  /** Index of counts[0]. */
  offset: number;
  counts: number[];
}

/** Bucket geometry for a relative accuracy α in (0, 1). */
export class BucketGrid {
  readonly gamma: number;
  readonly #inverseLogGamma: number;

  constructor(readonly accuracy: number) {
    if (!(accuracy > 0 && accuracy < 1)) throw new RangeError(`accuracy must be in (0, 1), got ${accuracy}`);
    this.gamma = (1 + accuracy) / (1 - accuracy);
    this.#inverseLogGamma = 1 / Math.log(this.gamma);
  }

  /** The bucket of a magnitude > 0. */
  index(magnitude: number): number {
    return Math.ceil(Math.log(magnitude) * this.#inverseLogGamma);
  }

  /** The value a bucket stands for (within α of every value in it). */
  representative(index: number): number {
    return (2 * this.gamma ** index) / (this.gamma + 1);
  }

  /** Upper end γ^k of a bucket. */
  upper(index: number): number {
    return this.gamma ** index;
  }
}

/**
 * A growable dense window of bucket counts. When the window would exceed `maxBuckets`, the
 * lowest buckets fold into the lowest kept one: tiny magnitudes lose resolution, the bulk and
 * the tail keep theirs.
 */
export class BucketWindow {
  #offset = 0;
  #counts = new Float64Array(0);
  #used = 0;

  constructor(readonly maxBuckets: number) {}

  add(index: number, count = 1): void {
    if (this.#used === 0) {
      this.#offset = index;
      this.#ensure(1);
      this.#used = 1;
    } else if (index < this.#offset) {
      const shift = this.#offset - index;
      if (this.#used + shift > this.maxBuckets) {
        this.#counts[0]! += count;
        return;
      }
      this.#ensure(this.#used + shift);
      this.#counts.copyWithin(shift, 0, this.#used);
      this.#counts.fill(0, 0, shift);
      this.#offset = index;
      this.#used += shift;
    } else if (index >= this.#offset + this.#used) {
      if (index - this.#offset + 1 > this.maxBuckets) this.#rebase(index - this.maxBuckets + 1);
      this.#ensure(index - this.#offset + 1);
      this.#used = index - this.#offset + 1;
    }
    this.#counts[index - this.#offset]! += count;
  }

  snapshot(): BucketCounts {
    return { offset: this.#offset, counts: Array.from(this.#counts.subarray(0, this.#used)) };
  }

  /** Moves the window's lowest bucket up to `offset`, folding everything below into it. */
  #rebase(offset: number): void {
    const drop = offset - this.#offset;
    let folded = 0;
    for (let i = 0; i < Math.min(drop + 1, this.#used); i++) folded += this.#counts[i]!;
    if (drop >= this.#used) {
      this.#counts.fill(0);
      this.#used = 1;
    } else {
      this.#counts.copyWithin(0, drop, this.#used);
      this.#used -= drop;
      this.#counts.fill(0, this.#used);
    }
    this.#counts[0] = folded;
    this.#offset = offset;
  }

  #ensure(size: number): void {
    if (size <= this.#counts.length) return;
    const grown = new Float64Array(Math.max(size, 2 * this.#counts.length, 16));
    grown.set(this.#counts.subarray(0, this.#used));
    this.#counts = grown;
  }
}
