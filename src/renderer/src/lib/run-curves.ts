import type { EpochRow, RunProgress } from '../../../shared/api/runs';
import type { XY } from '../components/charts/chart-base';

export type Metric = 'loss' | 'acc';

/** Train and validation curves of one metric, x = epochs completed (epoch 0 ends at x = 1). */
export function epochCurves(epochs: readonly EpochRow[], metric: Metric): { train: XY[]; val: XY[] } {
  const train: XY[] = [];
  const val: XY[] = [];
  for (const e of epochs) {
    const y = e[metric];
    if (y === null || !Number.isFinite(y)) continue;
    (e.phase === 'train' ? train : val).push({ x: e.epoch + 1, y });
  }
  const byX = (a: XY, b: XY) => a.x - b.x;
  return { train: train.sort(byX), val: val.sort(byX) };
}

/** Where a progress event sits on the epoch axis: epoch 2, batch 5 of 10 → 2.5. */
export function progressX(p: Pick<RunProgress, 'epoch' | 'batch' | 'batchesPerEpoch'>): number {
  return p.epoch + p.batch / Math.max(1, p.batchesPerEpoch);
}

/** Fraction of the whole run done at a progress event (0…1). */
export function runFraction(p: Pick<RunProgress, 'epoch' | 'epochs' | 'batch' | 'batchesPerEpoch'>): number {
  if (p.epochs <= 0) return 0;
  return Math.min(1, Math.max(0, progressX(p) / p.epochs));
}

/**
 * Keeps at most about `max` of the points at or before `upToX` (every k-th, evenly), and every
 * point after it. Charts decimate to a few hundred points anyway; this bounds the work per event
 * on a run of thousands of epochs, while the current epoch keeps all its detail.
 */
export function thinBefore(points: readonly XY[], upToX: number, max: number): XY[] {
  const split = points.findIndex((p) => p.x > upToX);
  const old = split < 0 ? points.length : split;
  if (old <= max) return [...points];
  const stride = Math.ceil(old / max);
  const kept = points.slice(0, old).filter((_, i) => i % stride === 0 || i === old - 1);
  return [...kept, ...points.slice(old)];
}

/**
 * Adds a live point to a curve sorted by x, in place (a push when it is the newest, as it nearly
 * always is). A point at an x the curve already has is dropped: stored epoch values win.
 */
export function insertByX(points: XY[], point: XY): void {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.x < point.x) lo = mid + 1;
    else hi = mid;
  }
  if (points[lo]?.x === point.x) return;
  if (lo === points.length) points.push(point);
  else points.splice(lo, 0, point);
}

/**
 * Finished-epoch points and live running-mean points on one axis, in x order. An epoch's running
 * mean ends at its stored value, so the two join up; where both exist at the same x, the stored
 * point wins (a resumed run can repeat a position).
 */
export function mergeLive(epochPoints: readonly XY[], live: readonly XY[]): XY[] {
  const stored = new Set(epochPoints.map((p) => p.x));
  const merged = [...epochPoints, ...live.filter((p) => !stored.has(p.x))];
  return merged.sort((a, b) => a.x - b.x);
}
