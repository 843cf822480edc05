import { detailCopyShortSide } from '../../../core/crops';
import type { DataSpec } from '../../../shared/jobs/data-spec';

/**
 * How big a cached copy is. `original`: the decoded size (every transform at every K renders the
 * uncached pixels). `fixed`: shorter side `shortSide`. `detail`: per image, the smallest
 * copy from which every possible train crop still spans ≥ K pixels each way — no crop is
 * resampled from fewer pixels than it gets from the original (images too small for that are
 * kept whole, so their crops are pixel-identical to decoding every time).
 */
export type CopySize =
  | { kind: 'original' }
  | { kind: 'fixed'; shortSide: number }
  | { kind: 'detail'; k: number; scale: [number, number]; ratio: [number, number] };

/** Plain data: it is sent to the sample workers. */
export interface CacheOptions {
  copy: CopySize;
  budgetBytes: number;
  dir: string | null;
}

const MB = 1024 * 1024;
export const DEFAULT_CACHE_MB = 1024;

/** Fills the cache defaults once (per worker share of the memory budget); null when caching is off. */
export function resolveCacheOptions(spec: DataSpec, workers: number): CacheOptions | null {
  if (!spec.cache) return null;
  const t = spec.transform;
  const side = spec.cache.shortSide;
  const copy: CopySize =
    side === 'original'
      ? { kind: 'original' }
      : side !== undefined
        ? { kind: 'fixed', shortSide: side }
        : t.kind === 'train'
          ? { kind: 'detail', k: t.k, scale: t.scale, ratio: t.ratio }
          : { kind: 'fixed', shortSide: Math.floor(t.k / t.cropPct) };
  if (copy.kind === 'fixed' && copy.shortSide <= 0) return null;
  const budgetBytes = Math.floor(((spec.cache.memoryMb ?? DEFAULT_CACHE_MB) * MB) / Math.max(1, workers));
  return { copy, budgetBytes, dir: spec.cache.dir ?? null };
}

/** The copy's shorter side for an image of width × height (the caller never upscales). */
export function copyShortSide(copy: CopySize, width: number, height: number): number {
  if (copy.kind === 'original') return Math.min(width, height);
  if (copy.kind === 'fixed') return copy.shortSide;
  return detailCopyShortSide(width, height, copy);
}

/** Names the folder of spilled copies: copies made by one rule are interchangeable. */
export function copyFolderName(copy: CopySize): string {
  if (copy.kind === 'original') return 'side-original';
  if (copy.kind === 'fixed') return `side-${copy.shortSide}`;
  return `detail-k${copy.k}-s${copy.scale[0]}-r${copy.ratio.map((r) => r.toFixed(4)).join('_')}`;
}
