import { describe, expect, it } from 'vitest';
import { bestKTest, kTestSweep } from '../../src/core/ktest';

describe('kTestSweep', () => {
  it('covers K_train·0.5 … K_train·2 in steps of 16 around K_train, with K_test* added', () => {
    const sizes = kTestSweep({ kTrain: 224, include: [280] });
    expect(sizes[0]).toBe(112);
    expect(sizes.at(-1)).toBe(448);
    expect(sizes).toContain(224);
    expect(sizes).toContain(280);
    expect(sizes.filter((k) => k !== 280).every((k) => (k - 224) % 16 === 0)).toBe(true);
    expect(sizes).toHaveLength(23);
  });

  it('anchors the grid on K_train when K_train is not a multiple of 16', () => {
    expect(kTestSweep({ kTrain: 24 })).toEqual([24, 40]);
    expect(kTestSweep({ kTrain: 24, step: 4 })).toEqual([12, 16, 20, 24, 28, 32, 36, 40, 44, 48]);
    expect(kTestSweep({ kTrain: 176 })).toContain(176);
  });

  it('returns sorted unique positive sizes, ignoring duplicates and nonsense in include', () => {
    const sizes = kTestSweep({ kTrain: 32, step: 8, include: [32, 40, 39.6, -8, 0, Number.NaN, 100] });
    expect(sizes).toEqual([16, 24, 32, 40, 48, 56, 64, 100]);
  });

  it('refuses a non-integer K_train or step and an inverted range', () => {
    expect(() => kTestSweep({ kTrain: 22.5 })).toThrow(/positive integer/);
    expect(() => kTestSweep({ kTrain: 224, step: 0 })).toThrow(/step/);
    expect(() => kTestSweep({ kTrain: 224, from: 1.5 })).toThrow(/range/);
  });
});

describe('bestKTest', () => {
  it('picks the highest top-1, the smaller K_test on a tie, and nothing from nothing', () => {
    const points = [
      { kTest: 224, top1: 0.7 },
      { kTest: 288, top1: 0.74 },
      { kTest: 256, top1: 0.74 },
      { kTest: 320, top1: 0.73 },
    ];
    expect(bestKTest(points)).toEqual({ kTest: 256, top1: 0.74 });
    expect(bestKTest([])).toBeNull();
  });
});
