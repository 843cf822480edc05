/** Image sizes with their counts, as the store returns them. */
export interface SizeCount {
  width: number;
  height: number;
  count: number;
}

export interface HistogramBin {
  lo: number;
  hi: number;
  count: number;
}

/**
 * Histogram of aspect ratios w/h on a log scale (so 1:2 and 2:1 sit symmetrically about 1),
 * `bins` bins between the smallest and largest ratio found (at least 1/2..2).
 */
export function aspectHistogram(sizes: readonly SizeCount[], bins = 24): HistogramBin[] {
  if (!sizes.length) return [];
  const logs = sizes.map((s) => Math.log(s.width / s.height));
  const lo = Math.min(Math.log(0.5), ...logs);
  const hi = Math.max(Math.log(2), ...logs);
  const step = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  logs.forEach((l, i) => {
    counts[Math.min(bins - 1, Math.floor((l - lo) / step))]! += sizes[i]!.count;
  });
  return counts.map((count, i) => ({ lo: Math.exp(lo + i * step), hi: Math.exp(lo + (i + 1) * step), count }));
}

/**
 * At most `maxPoints` (width, height, count) points for a scatter plot: exact sizes when there
 * are few, else sizes snapped to a grid coarse enough to fit (counts summed).
 */
export function sizeScatter(sizes: readonly SizeCount[], maxPoints = 2000): SizeCount[] {
  if (sizes.length <= maxPoints) return sizes.map((s) => ({ ...s }));
  const maxSide = Math.max(...sizes.flatMap((s) => [s.width, s.height]));
  for (let cells = 256; ; cells = Math.floor(cells / 2)) {
    const cell = Math.max(1, Math.ceil(maxSide / cells));
    const merged = new Map<string, SizeCount>();
    for (const s of sizes) {
      const w = Math.round(s.width / cell) * cell;
      const h = Math.round(s.height / cell) * cell;
      const key = `${w}x${h}`;
      const m = merged.get(key);
      if (m) m.count += s.count;
      else merged.set(key, { width: w, height: h, count: s.count });
    }
    if (merged.size <= maxPoints || cells <= 4) return [...merged.values()];
  }
}

/** The median shorter side of images counted by size (the lower median for an even count); null for none. */
export function medianShortSide(sizes: readonly SizeCount[]): number | null {
  const sorted = sizes.map((s) => ({ value: Math.min(s.width, s.height), count: s.count })).sort((a, b) => a.value - b.value);
  const half = sorted.reduce((n, v) => n + v.count, 0) / 2;
  if (half === 0) return null;
  let seen = 0;
  for (const v of sorted) if ((seen += v.count) >= half) return v.value;
  return sorted.at(-1)!.value;
}

/** Why a shorter side counts as tiny: the K asked for, the default K_train, or the dataset's own median short side. */
export type TinyBasis = 'requested' | 'default-k' | 'median';

/**
 * Below which shorter side an image is tiny, i.e. would be upscaled at the K it is used at: the K
 * asked for; otherwise the default K_train, but never above the dataset's median short side (a
 * set of 28 px digits is trained at ≤ 28 px, so its images are not tiny — only smaller outliers are).
 */
export function tinyThreshold(o: { requestedK?: number; defaultK: number; medianShortSide: number | null }): {
  side: number;
  basis: TinyBasis;
} {
  if (o.requestedK !== undefined) return { side: o.requestedK, basis: 'requested' };
  if (o.medianShortSide !== null && o.medianShortSide < o.defaultK) return { side: o.medianShortSide, basis: 'median' };
  return { side: o.defaultK, basis: 'default-k' };
}
