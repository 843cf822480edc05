import { describe, expect, it } from 'vitest';
import { coarsen, onSharedBins } from '../../src/core/activation-bins';
import { ActivationAccumulator, type ActivationSummary } from '../../src/core/activation-stats';
import { Rng } from '../../src/core/rng';

/** ReLU'd, heavy-tailed values like pooled features: about a fifth exactly 0. */
function pooledLike(n: number, seed: number, scale = 1): Float32Array {
  const rng = Rng.fromSeed(seed);
  return Float32Array.from({ length: n }, () => Math.max(0, scale * (rng.normal() + 0.8) * Math.exp(0.5 * rng.normal())));
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
  it('computes n, mean, std, min, max and zero fraction as a direct pass would', () => {
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

  it('ends with the same histogram whatever the batch order, even when the range grows 1000×', () => {
    const small = pooledLike(3000, 2, 0.001);
    const large = pooledLike(3000, 3, 1);
    const both = new Float32Array([...small, ...large]);
    const growing = new ActivationAccumulator();
    growing.add(small);
    growing.add(large);
    const once = new ActivationAccumulator();
    once.add(both);
    expect(growing.summary().histogram).toEqual(once.summary().histogram);
    const h = once.summary().histogram;
    const width = 2 ** h.widthExponent!;
    expect(Math.max(...both)).toBeLessThan(1024 * width);
    expect(Math.max(...both)).toBeGreaterThanOrEqual(512 * width);
  });

  it('puts every value in the bin that contains it, negatives on their own side', () => {
    const rng = Rng.fromSeed(4);
    const x = Float64Array.from({ length: 5000 }, () => 3 * rng.normal());
    const s = inBatches(new Float32Array(x), [100], { bins: 64 }).summary();
    const w = 2 ** s.histogram.widthExponent!;
    const pos = new Array<number>(s.histogram.positive.length).fill(0);
    const neg = new Array<number>(s.histogram.negative.length).fill(0);
    for (const v of new Float32Array(x)) (v < 0 ? neg : pos)[Math.floor(Math.abs(v) / w)]!++;
    expect(s.histogram.positive).toEqual(pos);
    expect(s.histogram.negative).toEqual(neg);
  });

  it('counts NaN and infinities apart and copes with batches of only zeros', () => {
    const acc = new ActivationAccumulator({ bins: 8 });
    acc.add([0, 0]);
    expect(acc.summary()).toMatchObject({ n: 2, zeros: 2, histogram: { widthExponent: null, positive: [2], negative: [] } });
    acc.add([Number.NaN, Infinity, 3]);
    expect(acc.summary()).toMatchObject({
      n: 3,
      nonFinite: 2,
      max: 3,
      histogram: { widthExponent: -1, positive: [2, 0, 0, 0, 0, 0, 1] },
    });
    expect(() => new ActivationAccumulator({ bins: 7 })).toThrow(/even/);
  });

  it('is compact and serialisable: no typed arrays, trailing empty bins trimmed', () => {
    const s = inBatches(pooledLike(20_000, 5), [512]).summary();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(s.histogram.positive.length).toBeLessThanOrEqual(1024);
    expect(s.histogram.positive.at(-1)).toBeGreaterThan(0);
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
  const low = inBatches(pooledLike(8000, 7, 3), [256]).summary();
  const high = inBatches(pooledLike(8000, 8, 0.5), [256]).summary();

  it('re-bins summaries of different widths exactly onto one grid', () => {
    const shared = onSharedBins([low, high], 50);
    const edges = shared.edges;
    expect(edges.length - 1).toBeLessThanOrEqual(50);
    expect(edges[0]).toBe(0);
    const width = edges[1]! - edges[0]!;
    expect(Math.log2(width) % 1).toBe(0);
    for (const [i, s] of [low, high].entries()) {
      const series = shared.series[i]!;
      expect(series.counts.reduce((a, b) => a + b, 0)).toBe(s.n);
      expect(series.cdf.at(-1)).toBeCloseTo(1, 12);
      expect(series.density.reduce((a, b) => a + b * width, 0)).toBeCloseTo(1, 12);
    }
    expect(edges.at(-1)).toBeGreaterThan(Math.max(low.max, high.max));
  });

  it('gives the same counts as binning the raw values on the shared edges', () => {
    const x = pooledLike(8000, 7, 3);
    const shared = onSharedBins([low, high], 50);
    const width = shared.edges[1]!;
    const direct = new Array<number>(shared.edges.length - 1).fill(0);
    for (const v of x) direct[Math.floor(v / width)]!++;
    expect(shared.series[0]!.counts).toEqual(direct);
  });

  it('places negative bins left of zero', () => {
    const signed: ActivationSummary = { ...low, histogram: { widthExponent: 0, positive: [1, 2], negative: [3, 0, 4] } };
    const shared = onSharedBins([signed], 10);
    expect(shared.edges).toEqual([-3, -2, -1, 0, 1, 2]);
    expect(shared.series[0]!.counts).toEqual([4, 0, 3, 1, 2]);
    expect(coarsen(signed.histogram, 1)).toEqual({ positive: [3], negative: [3, 4] });
    expect(() => coarsen(signed.histogram, -1)).toThrow(/refine/);
  });
});
