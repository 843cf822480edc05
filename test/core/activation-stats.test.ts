import { describe, expect, it } from 'vitest';
import { onSharedBins, summaryPoints, summaryQuantile } from '../../src/core/activation-bins';
import { ActivationAccumulator, type ActivationSummary } from '../../src/core/activation-stats';
import { sampleGev } from '../../src/core/gev';
import { BucketGrid } from '../../src/core/log-buckets';
import { Rng } from '../../src/core/rng';

/** ReLU'd Fréchet values like pooled features at a low resolution: heavy tail, ~15 % exact zeros. */
function pooledLike(n: number, seed: number, mu = 0.3): Float32Array {
  return Float32Array.from(sampleGev({ mu, sigma: 0.5, xi: 0.3 }, n, Rng.fromSeed(seed)), (v) => Math.max(0, v));
}

function inBatches(values: Float32Array, sizes: number[], options = {}): ActivationAccumulator {
  const acc = new ActivationAccumulator(options);
  let at = 0;
  for (let i = 0; at < values.length; i++) {
    const size = sizes[i % sizes.length]!;
    acc.add(values.subarray(at, at + size));
    at += size;
  }
  return acc;
}

describe('ActivationAccumulator (streaming pooled-feature statistics)', () => {
  it('computes n, mean, std, min, max and zero count as a direct pass would', () => {
    const x = pooledLike(10_000, 1);
    const s = inBatches(x, [1, 333, 64, 2000]).summary();
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const std = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
    expect(s.n).toBe(10_000);
    expect(s.mean).toBeCloseTo(mean, 10);
    expect(s.std).toBeCloseTo(std, 10);
    expect(s.min).toBe(0);
    expect(s.max).toBe(Math.max(...x));
    expect(s.zeros).toBe(x.filter((v) => v === 0).length);
    expect(s.zeros / s.n).toBeGreaterThan(0.1);
  });

  it('counts every non-zero value in its geometric bucket, negatives by magnitude, whatever the batching', () => {
    const rng = Rng.fromSeed(4);
    const x = Float32Array.from({ length: 5000 }, () => 3 * rng.normal() * Math.exp(2 * rng.normal()));
    const s = inBatches(x, [100]).summary();
    const reversed = inBatches(x.slice().reverse(), [7, 1000]).summary();
    expect(reversed.histogram).toEqual(s.histogram);
    const grid = new BucketGrid(0.01);
    const count = (sign: 1 | -1, k: number) => x.filter((v) => Math.sign(v) === sign && grid.index(Math.abs(v)) === k).length;
    const { positive, negative } = s.histogram;
    positive.counts.forEach((c, i) => expect(c).toBe(count(1, positive.offset + i)));
    negative.counts.forEach((c, i) => expect(c).toBe(count(-1, negative.offset + i)));
  });

  it('counts NaN and infinities apart and copes with batches of only zeros', () => {
    const acc = new ActivationAccumulator();
    acc.add([0, 0]);
    expect(acc.summary()).toMatchObject({ n: 2, zeros: 2, histogram: { positive: { counts: [] }, negative: { counts: [] } } });
    acc.add([Number.NaN, Infinity, 3]);
    expect(acc.summary()).toMatchObject({ n: 3, nonFinite: 2, max: 3, histogram: { positive: { counts: [1] } } });
    expect(() => new ActivationAccumulator({ accuracy: 2 })).toThrow(/accuracy/);
  });

  it('stays compact and serialisable for a million heavy-tailed features', () => {
    const s = inBatches(pooledLike(1_000_000, 5), [4096]).summary();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(s.histogram.positive.counts.length).toBeLessThan(1500);
    expect(JSON.stringify(s).length).toBeLessThan(10_000);
  });

  it('answers quantiles within its relative accuracy', () => {
    const x = pooledLike(20_000, 9);
    const s = inBatches(x, [512]).summary();
    const sorted = Float64Array.from(x).sort();
    for (const q of [0, 0.1, 0.3, 0.5, 0.9, 0.99, 1]) {
      const exact = sorted[Math.floor(q * (x.length - 1))]!;
      expect(Math.abs(summaryQuantile(s, q) - exact)).toBeLessThanOrEqual(0.01 * exact + 1e-12);
    }
  });

  it('keeps a seeded uniform reservoir sample for fitting', () => {
    const x = pooledLike(50_000, 6);
    const a = inBatches(x, [1000], { reservoir: { size: 5000, seed: 1 } }).sample();
    const b = inBatches(x, [777], { reservoir: { size: 5000, seed: 1 } }).sample();
    expect(a).toHaveLength(5000);
    expect(a).toEqual(b);
    const values = new Set(x);
    expect(a.every((v) => values.has(v))).toBe(true);
    const mean = (v: ArrayLike<number>) => Array.from(v).reduce((s, t) => s + t, 0) / v.length;
    expect(Math.abs(mean(a) - mean(x))).toBeLessThan(0.05);
    expect(inBatches(x.subarray(0, 10), [3], { reservoir: { size: 50, seed: 1 } }).sample()).toHaveLength(10);
  });
});

describe('onSharedBins (overlaying resolutions)', () => {
  const lowX = pooledLike(20_000, 7, 0.3);
  const highX = pooledLike(20_000, 8, 1.2);
  const low = inBatches(lowX, [256]).summary();
  const high = inBatches(highX, [256]).summary();

  it('puts summaries on one linear grid ending near the 99.5th percentile, accounting for every value', () => {
    const shared = onSharedBins([low, high], { bins: 40 });
    expect(shared.edges).toHaveLength(41);
    expect(shared.edges[0]).toBe(0);
    expect(shared.edges.at(-1)).toBeCloseTo(Math.max(summaryQuantile(low, 0.995), summaryQuantile(high, 0.995)), 12);
    const width = shared.edges[1]! - shared.edges[0]!;
    for (const [i, s] of [low, high].entries()) {
      const series = shared.series[i]!;
      expect(series.below + series.above + series.counts.reduce((a, b) => a + b, 0)).toBe(s.n);
      expect(series.cdf.at(-1)).toBeCloseTo(1 - series.above / s.n, 12);
      expect(series.density.reduce((a, b) => a + b * width, 0)).toBeCloseTo(1 - series.above / s.n, 12);
    }
    expect(shared.series[0]!.above).toBeLessThan(0.01 * low.n);
  });

  it('gives CDFs off the raw values’ empirical CDF only by the values within 1 % of an edge', () => {
    const shared = onSharedBins([low, high], { bins: 40 });
    for (const [i, x] of [lowX, highX].entries()) {
      shared.series[i]!.cdf.forEach((p, j) => {
        const edge = shared.edges[j + 1]!;
        const exact = x.filter((v) => v < edge).length / x.length;
        const nearEdge = x.filter((v) => Math.abs(v - edge) <= 0.0101 * edge).length / x.length;
        expect(Math.abs(p - exact)).toBeLessThanOrEqual(nearEdge);
      });
    }
  });

  it('places negative values left of zero and honours an explicit range', () => {
    const grid = new BucketGrid(0.01);
    const signed: ActivationSummary = {
      ...low,
      n: 6,
      zeros: 1,
      min: -3,
      max: 1,
      histogram: {
        accuracy: 0.01,
        positive: { offset: grid.index(1), counts: [2] },
        negative: { offset: grid.index(3), counts: [3] },
      },
    };
    const points = summaryPoints(signed);
    expect(points.map((p) => p.count)).toEqual([3, 1, 2]);
    expect(points[0]!.value).toBeCloseTo(-3, 1);
    expect(points[1]!.value).toBe(0);
    expect(points[2]!.value).toBeCloseTo(1, 1);
    const shared = onSharedBins([signed], { bins: 4, range: [-4, 4] });
    expect(shared.edges).toEqual([-4, -2, 0, 2, 4]);
    expect(shared.series[0]!.counts).toEqual([3, 0, 3, 0]);
  });
});
