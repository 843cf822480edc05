import type { ActivationSummary } from './activation-stats';
import { BucketGrid } from './log-buckets';

/** Several summaries on one linear grid, ready to overlay: bin j covers [edges[j], edges[j + 1]). */
export interface SharedBins {
  edges: number[];
  series: SharedSeries[];
}

export interface SharedSeries {
  counts: number[];
  /** counts / (n · bin width): comparable across resolutions and sample sizes. */
  density: number[];
  /** Empirical CDF at each bin's right edge (values below the grid included). */
  cdf: number[];
  /** Values below the first edge and at or above the last (a heavy tail beyond the chosen range). */
  below: number;
  above: number;
}

export interface SharedBinsOptions {
  bins?: number;
  /** Grid range; default [min(0, smallest value), largest `upperQuantile` of the summaries]. */
  range?: readonly [number, number];
  upperQuantile?: number;
}

/** A summary's values as (value, count) pairs in ascending order: bucket representatives, zeros at 0. */
export function summaryPoints(summary: ActivationSummary): { value: number; count: number }[] {
  const h = summary.histogram;
  const grid = new BucketGrid(h.accuracy);
  const points: { value: number; count: number }[] = [];
  for (let i = h.negative.counts.length - 1; i >= 0; i--)
    if (h.negative.counts[i]) points.push({ value: -grid.representative(h.negative.offset + i), count: h.negative.counts[i]! });
  if (summary.zeros) points.push({ value: 0, count: summary.zeros });
  h.positive.counts.forEach((count, i) => {
    if (count) points.push({ value: grid.representative(h.positive.offset + i), count });
  });
  return points;
}

/** The q-quantile (0 ≤ q ≤ 1), within the histogram's relative accuracy, clamped to [min, max]. */
export function summaryQuantile(summary: ActivationSummary, q: number): number {
  if (summary.n === 0) return 0;
  const rank = q * (summary.n - 1);
  let seen = 0;
  for (const p of summaryPoints(summary)) {
    seen += p.count;
    if (seen > rank) return Math.min(summary.max, Math.max(summary.min, p.value));
  }
  return summary.max;
}

/**
 * Puts summaries on one linear grid so their histograms and CDFs overlay. Every summary keeps
 * its values on geometric buckets; each bucket lands in the linear bin of its representative, so
 * a value is placed within the histogram's relative accuracy (1 % by default) of where it was.
 * The default range stops at the 99.5th percentile: pooled features are heavy-tailed, and a
 * grid stretched to the maximum would squeeze the bulk into a bin or two.
 */
export function onSharedBins(summaries: readonly ActivationSummary[], options: SharedBinsOptions = {}): SharedBins {
  const bins = options.bins ?? 50;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const filled = summaries.filter((s) => s.n > 0);
  const lo = options.range?.[0] ?? Math.min(0, ...filled.map((s) => s.min));
  let hi = options.range?.[1] ?? Math.max(...filled.map((s) => summaryQuantile(s, options.upperQuantile ?? 0.995)), lo);
  if (!(hi > lo)) hi = lo + 1;
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, j) => lo + j * width);
  const series = summaries.map((s) => {
    const counts = new Array<number>(bins).fill(0);
    let below = 0;
    let above = 0;
    for (const p of summaryPoints(s)) {
      const j = Math.floor((p.value - lo) / width);
      if (j < 0) below += p.count;
      else if (j >= bins) above += p.count;
      else counts[j]! += p.count;
    }
    const n = s.n || 1;
    let running = below;
    return {
      counts,
      density: counts.map((c) => c / (n * width)),
      cdf: counts.map((c) => (running += c) / n),
      below,
      above,
    };
  });
  return { edges, series };
}
