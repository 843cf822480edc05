/** The stored columns behind the contract's work-cost fields (runs, sweeps, workflow steps). */
export interface WorkCostRow {
  started_at: string | null;
  finished_at: string | null;
  wall_seconds: number;
  img_per_sec: number | null;
  peak_rss_mb: number | null;
  error: string | null;
}

/** A row's work-cost columns as the contract's fields (shared/api/work-cost.ts). */
export function workCostOf(row: WorkCostRow) {
  return {
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    wallSeconds: row.wall_seconds,
    imgPerSec: row.img_per_sec,
    peakRssMb: row.peak_rss_mb,
    error: row.error,
  };
}
