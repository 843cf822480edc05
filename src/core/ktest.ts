export interface KTestSweepOptions {
  kTrain: number;
  /** Extra sizes always included, e.g. K_test* where apparent sizes match. */
  include?: readonly number[];
  /** Grid step in pixels (default 16). */
  step?: number;
  /** Grid bounds as multiples of K_train (default 0.5 and 2). */
  from?: number;
  to?: number;
}

/**
 * The test sizes a sweep evaluates: K_train ± j·step within [from·K_train, to·K_train], plus
 * K_train and `include`, as sorted unique positive integers. The grid is anchored on K_train so
 * K_train is a grid point and the sizes either side of it are symmetric (for K_train = 224 it is
 * 112, 128, …, 448).
 */
export function kTestSweep(options: KTestSweepOptions): number[] {
  const { kTrain, step = 16, from = 0.5, to = 2 } = options;
  if (!Number.isInteger(kTrain) || kTrain <= 0) throw new RangeError(`K_train must be a positive integer, got ${kTrain}`);
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`The sweep step must be a positive integer, got ${step}`);
  if (!(from > 0 && from <= 1 && to >= 1)) throw new RangeError(`The sweep range must satisfy 0 < from ≤ 1 ≤ to`);
  const lo = Math.max(1, Math.ceil(from * kTrain));
  const hi = Math.floor(to * kTrain);
  const sizes = new Set<number>([kTrain]);
  for (let k = kTrain - step; k >= lo; k -= step) sizes.add(k);
  for (let k = kTrain + step; k <= hi; k += step) sizes.add(k);
  for (const k of options.include ?? []) {
    const rounded = Math.round(k);
    if (Number.isFinite(rounded) && rounded > 0) sizes.add(rounded);
  }
  return [...sizes].sort((a, b) => a - b);
}

/** The sweep point with the best top-1; ties go to the smaller (cheaper) K_test. Null for no points. */
export function bestKTest<P extends { kTest: number; top1: number }>(points: readonly P[]): P | null {
  let best: P | null = null;
  for (const p of points) if (!best || p.top1 > best.top1 || (p.top1 === best.top1 && p.kTest < best.kTest)) best = p;
  return best;
}
