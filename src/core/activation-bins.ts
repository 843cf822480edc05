import type { ActivationSummary, FineHistogram } from './activation-stats';

/** Several summaries on one grid, ready to overlay: bin j covers [edges[j], edges[j + 1]). */
export interface SharedBins {
  edges: number[];
  series: SharedSeries[];
}

export interface SharedSeries {
  counts: number[];
  /** counts / (n · bin width): comparable across resolutions and sample sizes. */
  density: number[];
  /** Empirical CDF at each bin's right edge. */
  cdf: number[];
}

/**
 * Re-bins summaries exactly onto one grid: the coarsest of their power-of-two widths, doubled
 * until the union of their ranges fits in `maxBins`. Exact because every fine bin edge is a
 * multiple of every coarser width.
 */
export function onSharedBins(summaries: readonly ActivationSummary[], maxBins = 64): SharedBins {
  if (!Number.isInteger(maxBins) || maxBins < 2) throw new RangeError(`maxBins must be an integer ≥ 2, got ${maxBins}`);
  const exponents = summaries.map((s) => s.histogram.widthExponent).filter((e): e is number => e !== null);
  let exponent = exponents.length ? Math.max(...exponents) : 0;
  let grids = summaries.map((s) => coarsen(s.histogram, exponent));
  const span = () => ({
    neg: Math.max(0, ...grids.map((g) => g.negative.length)),
    pos: Math.max(1, ...grids.map((g) => g.positive.length)),
  });
  while (span().neg + span().pos > maxBins) {
    exponent++;
    grids = summaries.map((s) => coarsen(s.histogram, exponent));
  }
  const { neg, pos } = span();
  const width = 2 ** exponent;
  const edges = Array.from({ length: neg + pos + 1 }, (_, j) => (j - neg) * width);
  const series = grids.map((g, i) => {
    const n = summaries[i]!.n;
    const counts = [
      ...Array.from({ length: neg }, (_, j) => g.negative[neg - 1 - j] ?? 0),
      ...Array.from({ length: pos }, (_, j) => g.positive[j] ?? 0),
    ];
    let running = 0;
    const cdf = counts.map((c) => (running += c) / (n || 1));
    return { counts, density: counts.map((c) => (n ? c / (n * width) : 0)), cdf };
  });
  return { edges, series };
}

/** The same histogram on bins of width 2^exponent (exponent ≥ the histogram's own). */
export function coarsen(histogram: FineHistogram, exponent: number): { positive: number[]; negative: number[] } {
  const own = histogram.widthExponent ?? exponent;
  if (exponent < own) throw new RangeError(`Cannot refine bins from 2^${own} to 2^${exponent}`);
  const factor = 2 ** (exponent - own);
  const merge = (bins: readonly number[]) => {
    const out = new Array<number>(bins.length ? Math.max(1, Math.ceil(bins.length / factor)) : 0).fill(0);
    bins.forEach((c, i) => (out[Math.floor(i / factor)]! += c));
    return out;
  };
  return { positive: merge(histogram.positive), negative: merge(histogram.negative) };
}
