import type { DataSpec } from '../../../shared/jobs/data-spec';

export interface CacheOptions {
  /** Shorter side of the copies, or 'original' for copies at the decoded size (no resize). */
  shortSide: number | 'original';
  budgetBytes: number;
  dir: string | null;
}

const MB = 1024 * 1024;
export const DEFAULT_CACHE_MB = 1024;

/** Fills the cache defaults once (per worker share of the memory budget); null when caching is off. */
export function resolveCacheOptions(spec: DataSpec, workers: number): CacheOptions | null {
  if (!spec.cache) return null;
  const t = spec.transform;
  const shortSide = spec.cache.shortSide ?? (t.kind === 'train' ? Math.ceil(1.5 * t.k) : Math.floor(t.k / t.cropPct));
  if (shortSide !== 'original' && shortSide <= 0) return null;
  const budgetBytes = Math.floor(((spec.cache.memoryMb ?? DEFAULT_CACHE_MB) * MB) / Math.max(1, workers));
  return { shortSide, budgetBytes, dir: spec.cache.dir ?? null };
}
