import { kTestSweep } from './ktest';

/**
 * The grid step of a default K_test sweep: 16 px from K_train 128 up (the usual ImageNet grid),
 * and about K_train/8 (even, at least 2) below, so a small K_train still gets ~13 sizes between
 * K_train/2 and 2·K_train instead of two or three (K_train 24 → step 4: 12, 16, …, 48).
 */
export function defaultSweepStep(kTrain: number): number {
  if (kTrain >= 128) return 16;
  return Math.max(2, 2 * Math.round(kTrain / 16));
}

/**
 * The multiple a sweep rounds K_test* to: the analysis default of 8, or the grid step where the
 * grid is finer (K_train below 56), so a small K_train's K_test* is not moved by more than the
 * grid's own spacing (K_train 24: 29.3 → 28 on a 4-px grid, not 32).
 */
export function kTestStarMultiple(step: number): number {
  return Math.min(8, step);
}

export interface SweepPlanOptions {
  kTrain: number;
  /** The apparent-size K_test*, always included when given. */
  kTestStar?: number | null;
  step?: number;
  /** Largest K_test allowed (the engine's limit). */
  maxK?: number;
}

/** The K_test list a sweep evaluates by default: K_train·0.5 … K_train·2 through K_train, plus K_test*. */
export function sweepPlan(options: SweepPlanOptions): { kTests: number[]; step: number } {
  const step = options.step ?? defaultSweepStep(options.kTrain);
  const include = options.kTestStar ? [options.kTestStar] : [];
  const kTests = kTestSweep({ kTrain: options.kTrain, step, include }).filter((k) => k <= (options.maxK ?? Infinity));
  return { kTests, step };
}
