import { describe, expect, it } from 'vitest';
import { roundHalfEven } from '../../src/core/crops';
import {
  analyzeApparentSize,
  closedFormAlpha,
  DEFAULT_APPARENT_SIZE,
  kTestForUnitAlpha,
  meanRocSide,
  monteCarloAlpha,
  roundToMultiple,
  type ApparentSizeSettings,
} from '../../src/core/apparent-size';

const settings: ApparentSizeSettings = { kTrain: 224, kTest: 224, ...DEFAULT_APPARENT_SIZE };
const mc = { samples: 20_000, seed: 7, bins: 40 };
const one = (width: number, height: number) => [{ width, height, count: 1 }];

describe('closed-form apparent size (square image, aspect 1, σ² uniform)', () => {
  it('gives E[σ] = (2/3)(1 − 0.08^1.5)/0.92 ≈ 0.7082 and α ≈ 0.809 for scale (0.08, 1), crop_pct 0.875', () => {
    // By hand: 0.08^1.5 = 0.0226274, (2/3)(0.9773726)/0.92 = 0.708241; × 256/224 = 0.809418.
    expect(meanRocSide([0.08, 1])).toBeCloseTo(0.708241, 6);
    expect(closedFormAlpha(settings)).toBeCloseTo(0.809418, 6);
  });

  it('is proportional to K_test and falls back to √a for a single area fraction', () => {
    expect(closedFormAlpha({ ...settings, kTest: 448 })).toBeCloseTo(2 * closedFormAlpha(settings), 12);
    expect(meanRocSide([0.25, 0.25])).toBeCloseTo(0.5, 12);
    expect(closedFormAlpha({ ...settings, scale: [1, 1], cropPct: 1 })).toBe(1);
  });

  it('recommends K_test* = K_train/α: 276.7 for 224, rounding to 280 in steps of 8 and 288 in steps of 32', () => {
    const star = kTestForUnitAlpha(224, 0.875, meanRocSide([0.08, 1]));
    expect(star).toBeCloseTo(224 / 0.809418, 2);
    expect(roundToMultiple(star, 8)).toBe(280);
    expect(roundToMultiple(star, 32)).toBe(288);
    expect(roundToMultiple(kTestForUnitAlpha(128, 0.875, 0.708241), 8)).toBe(160);
    expect(roundToMultiple(kTestForUnitAlpha(160, 0.875, 0.708241), 8)).toBe(200);
    expect(roundToMultiple(3, 8)).toBe(8);
  });
});

/**
 * E[r_test/r_train] under torchvision's sampler by midpoint integration over (area fraction, log
 * aspect), conditioned on the crop fitting; ignores the centre fallback, whose probability after
 * 10 failed attempts is below 2e-6 for these sizes.
 */
function exactAlpha(width: number, height: number, grid = 800): number {
  const [lo, hi] = [Math.log(3 / 4), Math.log(4 / 3)];
  const sTest = 256 / Math.min(width, height);
  let sum = 0;
  let accepted = 0;
  for (let i = 0; i < grid; i++) {
    const area = (0.08 + (0.92 * (i + 0.5)) / grid) * width * height;
    for (let j = 0; j < grid; j++) {
      const aspect = Math.exp(lo + ((hi - lo) * (j + 0.5)) / grid);
      const w = roundHalfEven(Math.sqrt(area * aspect));
      const h = roundHalfEven(Math.sqrt(area / aspect));
      if (w > width || h > height) continue;
      accepted++;
      sum += (sTest * Math.sqrt(w * h)) / 224;
    }
  }
  return sum / accepted;
}

describe('Monte Carlo apparent size with the real crop sampler', () => {
  it.each([
    [500, 500],
    [500, 375],
  ])('agrees with the exact expectation for %i×%i within 4 standard errors', (width, height) => {
    const r = monteCarloAlpha(settings, one(width, height), mc);
    expect(Math.abs(r.alpha - exactAlpha(width, height))).toBeLessThan((4 * r.stdTestOverTrain) / Math.sqrt(mc.samples));
  });

  it('matches the closed form when no crop can be rejected (square image, ratio fixed at 1)', () => {
    const r = monteCarloAlpha({ ...settings, ratio: [1, 1] }, one(1000, 1000), mc);
    expect(r.fallbackRate).toBe(0);
    // Standard error ≈ 0.2 / √20 000 ≈ 0.0014.
    expect(Math.abs(r.alpha - closedFormAlpha(settings))).toBeLessThan(0.006);
  });

  it('reproduces DESIGN §1: square images give α ≈ 0.76, 4:3 images ≈ 0.84', () => {
    expect(Math.abs(monteCarloAlpha(settings, one(500, 500), mc).alpha - 0.76)).toBeLessThan(0.01);
    expect(Math.abs(monteCarloAlpha(settings, one(640, 480), mc).alpha - 0.84)).toBeLessThan(0.01);
    expect(Math.abs(monteCarloAlpha(settings, one(480, 640), mc).alpha - 0.84)).toBeLessThan(0.01);
  });

  it('labels both ratio means: E[r_train/r_test] exceeds 1/α (Jensen)', () => {
    const r = monteCarloAlpha(settings, one(500, 375), mc);
    expect(r.meanTrainOverTest).toBeGreaterThan(1 / r.alpha);
    expect(r.stdTestOverTrain).toBeGreaterThan(0);
  });

  it('uses the clamped centre fallback when no crop fits, with the hand-computed ratio', () => {
    // 1000×10: every attempt fails; the fallback is 13×10, s_test = 256/10, ratio = 25.6·√130/224.
    const r = monteCarloAlpha(settings, one(1000, 10), { ...mc, samples: 100 });
    expect(r.fallbackRate).toBe(1);
    expect(r.alpha).toBeCloseTo((25.6 * Math.sqrt(130)) / 224, 12);
    expect(r.stdTestOverTrain).toBeLessThan(1e-9);
  });

  it('draws image sizes in proportion to their counts', () => {
    const sizes = [
      { width: 500, height: 500, count: 3 },
      { width: 1000, height: 10, count: 1 },
      { width: 300, height: 300, count: 0 },
    ];
    expect(monteCarloAlpha(settings, sizes, { ...mc, samples: 4000 }).fallbackRate).toBe(0.25);
  });

  it('returns a histogram holding every sample, whose binned mean agrees with α', () => {
    const r = monteCarloAlpha(settings, one(640, 480), mc);
    const { lo, hi, counts } = r.histogram;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(mc.samples);
    const width = (hi - lo) / counts.length;
    const binnedMean = counts.reduce((s, c, i) => s + c * (lo + (i + 0.5) * width), 0) / mc.samples;
    expect(Math.abs(binnedMean - r.alpha)).toBeLessThan(width);
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(((256 / 480) * Math.sqrt(640 * 480)) / 224, 12);
  });

  it('is reproducible for a seed and refuses an empty size list', () => {
    expect(monteCarloAlpha(settings, one(333, 222), mc)).toEqual(monteCarloAlpha(settings, one(333, 222), mc));
    expect(monteCarloAlpha(settings, one(333, 222), mc).alpha).not.toBe(
      monteCarloAlpha(settings, one(333, 222), { ...mc, seed: 8 }).alpha,
    );
    expect(() => monteCarloAlpha(settings, [], mc)).toThrow(/at least one image size/);
  });
});

describe('analyzeApparentSize', () => {
  it('puts closed form and Monte Carlo side by side and recommends the Monte Carlo K_test*', () => {
    const r = analyzeApparentSize(settings, one(500, 500), { ...mc, multiple: 8 });
    expect(r.closedForm.kTestStarRounded).toBe(280);
    expect(r.monteCarlo.kTestStar).toBeCloseTo(224 / r.monteCarlo.alpha, 0);
    expect(r.kTestSizesMatch).toBe(r.monteCarlo.kTestStarRounded);
    expect(r.kTestSizesMatch % 8).toBe(0);
    expect(r.kTestSizesMatch).toBeGreaterThan(r.closedForm.kTestStarRounded);
  });

  it('gives the same K_test* whatever K_test the α is reported at', () => {
    const at = (kTest: number) => analyzeApparentSize({ ...settings, kTest }, one(640, 480), { ...mc, multiple: 8 });
    expect(at(320).monteCarlo.alpha).toBeGreaterThan(at(224).monteCarlo.alpha);
    expect(at(320).monteCarlo.kTestStar).toBeCloseTo(at(224).monteCarlo.kTestStar, 9);
    // K_test* divides K_train by α at K_test = K_train, not by the α of the K_test the analysis shows.
    expect(at(320).monteCarlo.alphaAtKTrain).toBeCloseTo(at(224).monteCarlo.alpha, 12);
    expect(at(320).closedForm.alphaAtKTrain).toBeCloseTo(at(224).closedForm.alpha, 12);
  });
});
