import { describe, expect, it } from 'vitest';
import { Rng, streamFor } from '../../src/core/rng';

describe('Rng', () => {
  it('repeats exactly for the same seed and differs for another', () => {
    const a = Rng.fromSeed(42);
    const b = Rng.fromSeed(42);
    const c = Rng.fromSeed(43);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
  });

  it('resumes from a saved state with the same draws', () => {
    const a = Rng.fromSeed(7);
    a.uniform();
    const saved = a.state();
    const next = [a.uniform(), a.int(10), a.normal()];
    const b = new Rng(saved);
    expect([b.uniform(), b.int(10), b.normal()]).toEqual(next);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = Rng.fromSeed(1);
    const xs = Array.from({ length: 100_000 }, () => r.uniform());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 3);
  });

  it('draws every integer of a range equally often', () => {
    const r = Rng.fromSeed(3);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  it('derives independent streams per key', () => {
    const first = (rng: Rng) => Array.from({ length: 3 }, () => rng.nextU32());
    expect(first(streamFor(5, 0, 1))).toEqual(first(streamFor(5, 0, 1)));
    expect(first(streamFor(5, 0, 1))).not.toEqual(first(streamFor(5, 1, 0)));
    expect(first(streamFor(5, 0, 1))).not.toEqual(first(streamFor(6, 0, 1)));
  });

  it('shuffles into a permutation', () => {
    const xs = Rng.fromSeed(9).shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...xs].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(xs).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
