import type { WorkCostColumns } from '../../store/work-cost';

/** A row's work-cost columns as the contract's fields (shared/api/work-cost.ts). */
export function workCostOf(row: WorkCostColumns) {
  return {
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    wallSeconds: row.wall_seconds,
    imgPerSec: row.img_per_sec,
    peakRssMb: row.peak_rss_mb,
    error: row.error,
  };
}
