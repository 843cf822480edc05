import { describe, expect, it } from 'vitest';
import { aspectHistogram, sizeScatter } from '../../src/core/dataset-stats';

describe('aspectHistogram', () => {
  it('counts every image once, weighting by count, with log-symmetric bins', () => {
    const bins = aspectHistogram([
      { width: 400, height: 300, count: 5 },
      { width: 300, height: 400, count: 2 },
      { width: 100, height: 100, count: 1 },
    ]);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(8);
    expect(bins[0]!.lo).toBeCloseTo(0.5, 9);
    expect(bins.at(-1)!.hi).toBeCloseTo(2, 9);
    const at = (r: number) => bins.find((b) => b.lo <= r && r < b.hi)!.count;
    expect([at(4 / 3), at(3 / 4), at(1)]).toEqual([5, 2, 1]);
  });

  it('widens its range to very wide images', () => {
    expect(aspectHistogram([{ width: 1000, height: 10, count: 1 }]).at(-1)!.hi).toBeCloseTo(100, 6);
    expect(aspectHistogram([])).toEqual([]);
  });
});

describe('sizeScatter', () => {
  it('keeps exact sizes when there are few, and snaps many sizes to a grid without losing counts', () => {
    const few = [{ width: 10, height: 20, count: 3 }];
    expect(sizeScatter(few)).toEqual(few);
    const many = Array.from({ length: 5000 }, (_, i) => ({
      width: 100 + (i % 400),
      height: 100 + Math.floor(i / 400),
      count: 1,
    }));
    const points = sizeScatter(many, 500);
    expect(points.length).toBeLessThanOrEqual(500);
    expect(points.reduce((n, p) => n + p.count, 0)).toBe(5000);
  });
});
