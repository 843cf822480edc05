import { describe, expect, it } from 'vitest';
import { BucketGrid, BucketWindow } from '../../src/core/log-buckets';
import { Rng } from '../../src/core/rng';

describe('BucketGrid (geometric buckets of relative accuracy α)', () => {
  it('puts every magnitude in (γ^(k−1), γ^k] and represents it within α', () => {
    const grid = new BucketGrid(0.01);
    const rng = Rng.fromSeed(1);
    for (let i = 0; i < 20_000; i++) {
      const v = 10 ** rng.uniformRange(-10, 10);
      const k = grid.index(v);
      expect(v).toBeLessThanOrEqual(grid.upper(k) * (1 + 1e-12));
      expect(v).toBeGreaterThan(grid.upper(k - 1) * (1 - 1e-12));
      expect(Math.abs(grid.representative(k) - v)).toBeLessThanOrEqual(0.01 * v * (1 + 1e-9));
    }
    expect(grid.gamma).toBeCloseTo(1.01 / 0.99, 15);
    expect(() => new BucketGrid(0)).toThrow(/accuracy/);
  });
});

describe('BucketWindow', () => {
  it('grows in both directions as a dense window', () => {
    const w = new BucketWindow(100);
    w.add(5);
    w.add(2, 3);
    w.add(8);
    w.add(5);
    expect(w.snapshot()).toEqual({ offset: 2, counts: [3, 0, 0, 2, 0, 0, 1] });
  });

  it('folds the lowest buckets into the lowest kept one rather than exceed its size, losing no count', () => {
    const low = new BucketWindow(4);
    [10, 11, 12, 13].forEach((k) => low.add(k));
    low.add(3, 5);
    expect(low.snapshot()).toEqual({ offset: 10, counts: [6, 1, 1, 1] });
    const high = new BucketWindow(4);
    [10, 11, 12, 13].forEach((k) => high.add(k));
    high.add(15);
    expect(high.snapshot()).toEqual({ offset: 12, counts: [3, 1, 0, 1] });
    high.add(100, 2);
    expect(high.snapshot()).toEqual({ offset: 97, counts: [5, 0, 0, 2] });
  });
});
