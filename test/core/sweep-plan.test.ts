import { describe, expect, it } from 'vitest';
import { roundToMultiple } from '../../src/core/apparent-size';
import { defaultSweepStep, kTestStarMultiple, sweepPlan } from '../../src/core/sweep-plan';

describe('sweepPlan', () => {
  it('uses 16-pixel steps from K_train 128 up and about K_train/8 below', () => {
    expect([224, 128, 64, 32, 24, 20, 8].map(defaultSweepStep)).toEqual([16, 16, 8, 4, 4, 2, 2]);
  });

  it('spans K_train/2 to 2·K_train through K_train and always includes K_test*', () => {
    expect(sweepPlan({ kTrain: 24, kTestStar: 30 })).toEqual({ kTests: [12, 16, 20, 24, 28, 30, 32, 36, 40, 44, 48], step: 4 });
    expect(sweepPlan({ kTrain: 224, kTestStar: 280 }).kTests).toEqual([
      112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 272, 280, 288, 304, 320, 336, 352, 368, 384, 400, 416, 432, 448,
    ]);
  });

  it('drops sizes above the limit and works without K_test*', () => {
    expect(sweepPlan({ kTrain: 40, step: 10, maxK: 60, kTestStar: null }).kTests).toEqual([20, 30, 40, 50, 60]);
  });

  it('rounds K_test* to a multiple of 8 on the 16-px grid and to the grid step on a finer one', () => {
    expect([224, 128, 64, 56, 48, 24, 20].map((k) => kTestStarMultiple(defaultSweepStep(k)))).toEqual([8, 8, 8, 8, 6, 4, 2]);
    // RESULTS.md's synthetic run: K_train 24, K_test* 29.3 is 28 in the workflow (`fixres analyze` rounds to 32 with --multiple 8).
    expect(roundToMultiple(29.3, kTestStarMultiple(defaultSweepStep(24)))).toBe(28);
    expect(roundToMultiple(276.7, kTestStarMultiple(defaultSweepStep(224)))).toBe(280);
  });
});
