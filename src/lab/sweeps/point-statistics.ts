import { noiseWarnings, pairedGain, proportion, type Proportion } from '../../core/stats';
import type { Accuracy, ImageSet, PairedGain, SweepPoint } from '../../shared/api/sweeps';
import { gainInterval } from '../../shared/gain-interval';
import type { PointImages } from '../../store/point-images';

/** A point with its per-image results, when they were kept (migration 008). */
export interface MeasuredPoint {
  point: SweepPoint;
  images: PointImages | null;
}

const toAccuracy = (p: Proportion): Accuracy => ({ top1: p.value, n: p.n, ci95: p.ci95 });

/** Matches points to their per-image results (same run, K_test and adapter). */
export function withImages(points: readonly SweepPoint[], images: readonly PointImages[]): MeasuredPoint[] {
  const byKey = new Map(images.map((i) => [`${i.runId}:${i.kTest}:${i.adapter}`, i]));
  return points.map((point) => ({ point, images: byKey.get(`${point.runId}:${point.kTest}:${point.adapter}`) ?? null }));
}

/** Top-1 of a measured point on a set of images, with its Wilson interval; null when that set is unknown. */
export function accuracyOn(m: MeasuredPoint, on: ImageSet): Accuracy | null {
  if (on === 'all') {
    if (!m.images) return toAccuracy(proportion(Math.round(m.point.top1 * m.point.n), m.point.n));
    return toAccuracy(proportion(count(m.images.correct), m.images.correct.length));
  }
  if (!m.images) return null;
  const wanted = on === 'selection' ? 1 : 0;
  let right = 0;
  let n = 0;
  m.images.selection.forEach((side, i) => {
    if (side !== wanted) return;
    n++;
    right += m.images!.correct[i]!;
  });
  return toAccuracy(proportion(right, n));
}

/** The point with its interval and its selection / held-out accuracies filled in. */
export function withStatistics(m: MeasuredPoint): SweepPoint {
  return {
    ...m.point,
    ci95: accuracyOn(m, 'all')!.ci95,
    selection: accuracyOn(m, 'selection'),
    heldOut: accuracyOn(m, 'held-out'),
  };
}

/**
 * The gain of `second` over `first` on a set of images, with McNemar's exact test; null when
 * either lacks per-image results or they were measured on different image lists.
 */
export function gainBetween(first: MeasuredPoint, second: MeasuredPoint, on: ImageSet): PairedGain | null {
  const a = first.images;
  const b = second.images;
  if (!a || !b || a.imagesKey !== b.imagesKey) return null;
  return pairedGainOn(a, b, on);
}

/** The paired gain of `second` over `first`, two per-image results in one image order, on one image set. */
export function pairedGainOn(
  first: { correct: ArrayLike<number>; selection: ArrayLike<number> },
  second: { correct: ArrayLike<number> },
  on: ImageSet,
): PairedGain {
  const keep = (i: number) => on === 'all' || first.selection[i] === (on === 'selection' ? 1 : 0);
  const idx = Array.from({ length: first.correct.length }, (_, i) => i).filter(keep);
  const g = pairedGain(
    idx.map((i) => first.correct[i]!),
    idx.map((i) => second.correct[i]!),
  );
  const counts = { onlyFirst: g.test.onlyFirst, onlySecond: g.test.onlySecond, n: g.n };
  return {
    gain: g.gain,
    ...counts,
    pValue: g.test.pValue,
    ci95: gainInterval(counts),
    withinNoise: g.withinNoise,
    images: on,
  };
}

/** Where to pick and where to report: the two halves when every candidate has per-image results, else all images. */
export function protocolFor(points: readonly MeasuredPoint[]): { pickOn: ImageSet; reportOn: ImageSet } {
  return points.length && points.every((m) => m.images)
    ? { pickOn: 'selection', reportOn: 'held-out' }
    : { pickOn: 'all', reportOn: 'all' };
}

/** The best point by top-1 on `on` (ties: the smaller K_test); null for none. */
export function bestOn<M extends MeasuredPoint>(points: readonly M[], on: ImageSet): M | null {
  let best: { m: M; top1: number } | null = null;
  for (const m of points) {
    const top1 = accuracyOn(m, on)?.top1 ?? m.point.top1;
    if (!best || top1 > best.top1 || (top1 === best.top1 && m.point.kTest < best.m.point.kTest)) best = { m, top1 };
  }
  return best?.m ?? null;
}

/** Noise warnings for an accuracy on a `numClasses`-way task, as sentences. */
export function warningsFor(accuracy: Accuracy, numClasses: number): string[] {
  const successes = Math.round(accuracy.top1 * accuracy.n);
  return noiseWarnings(proportion(successes, accuracy.n), numClasses).map((w) => w.message);
}

function count(flags: Uint8Array): number {
  let s = 0;
  for (const f of flags) s += f;
  return s;
}
