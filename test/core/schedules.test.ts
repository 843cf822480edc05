import { describe, expect, it } from 'vitest';
import { learningRateAt, learningRatePerEpoch, type LrSchedule } from '../../src/core/schedules';

const timing = { stepsPerEpoch: 10, epochs: 10 };

describe('learningRateAt', () => {
  it('keeps a constant rate', () => {
    expect([0, 50, 99].map((t) => learningRateAt({ kind: 'constant', baseLr: 0.1 }, t, timing))).toEqual([0.1, 0.1, 0.1]);
  });

  it('multiplies by gamma at each milestone epoch, like MultiStepLR', () => {
    const s: LrSchedule = { kind: 'step', baseLr: 1, milestones: [3, 6], gamma: 0.1 };
    expect(learningRatePerEpoch(s, timing).map((v) => +v.toPrecision(6))).toEqual([
      1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01,
    ]);
    expect(learningRateAt(s, 29, timing)).toBe(1);
    expect(learningRateAt(s, 30, timing)).toBeCloseTo(0.1, 12);
  });

  it('follows a half cosine from baseLr to minLr, per step', () => {
    const s: LrSchedule = { kind: 'cosine', baseLr: 0.4, minLr: 0.0 };
    expect(learningRateAt(s, 0, timing)).toBe(0.4);
    expect(learningRateAt(s, 50, timing)).toBeCloseTo(0.2, 12);
    expect(learningRateAt(s, 25, timing)).toBeCloseTo(0.2 * (1 + Math.SQRT1_2), 12);
    expect(learningRateAt(s, 100, timing)).toBeCloseTo(0, 12);
    const floor: LrSchedule = { kind: 'cosine', baseLr: 1, minLr: 0.1 };
    expect(learningRateAt(floor, 50, timing)).toBeCloseTo(0.55, 12);
  });

  it('decays linearly to minLr', () => {
    const s: LrSchedule = { kind: 'linear', baseLr: 1, minLr: 0.5 };
    expect(learningRateAt(s, 0, timing)).toBe(1);
    expect(learningRateAt(s, 50, timing)).toBeCloseTo(0.75, 12);
  });

  it('warms up linearly from baseLr × startFactor, then runs the cosine over the remaining steps', () => {
    const s: LrSchedule = { kind: 'cosine', baseLr: 1, warmupEpochs: 2, warmupStartFactor: 0 };
    expect(learningRateAt(s, 0, timing)).toBe(0);
    expect(learningRateAt(s, 10, timing)).toBe(0.5);
    expect(learningRateAt(s, 19, timing)).toBeCloseTo(0.95, 12);
    expect(learningRateAt(s, 20, timing)).toBe(1);
    expect(learningRateAt(s, 60, timing)).toBeCloseTo(0.5, 12);
  });

  it('combines warm-up with step decay at absolute milestone epochs', () => {
    const s: LrSchedule = { kind: 'step', baseLr: 1, milestones: [5], gamma: 0.5, warmupEpochs: 1 };
    expect(learningRateAt(s, 0, timing)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(s, 5, timing)).toBeCloseTo(0.55, 12);
    expect(learningRateAt(s, 10, timing)).toBe(1);
    expect(learningRateAt(s, 50, timing)).toBe(0.5);
  });

  it('depends only on the step: evaluation order does not matter', () => {
    const s: LrSchedule = { kind: 'cosine', baseLr: 0.1, warmupEpochs: 0.5 };
    const forward = Array.from({ length: 100 }, (_, t) => learningRateAt(s, t, timing));
    const backward = Array.from({ length: 100 }, (_, t) => learningRateAt(s, 99 - t, timing)).reverse();
    expect(backward).toEqual(forward);
    expect(forward.every((v) => v >= 0 && v <= 0.1)).toBe(true);
  });

  it('stays at the final value past the last step and handles warm-up longer than training', () => {
    expect(learningRateAt({ kind: 'cosine', baseLr: 1 }, 500, timing)).toBeCloseTo(0, 12);
    const long: LrSchedule = { kind: 'constant', baseLr: 1, warmupEpochs: 50 };
    expect(learningRateAt(long, 99, timing)).toBeLessThan(1);
  });
});
