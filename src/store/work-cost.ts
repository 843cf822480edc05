/** The columns runs, sweeps and workflow steps share to record what their work cost. */
export interface WorkCostColumns {
  started_at: string | null;
  finished_at: string | null;
  wall_seconds: number;
  img_per_sec: number | null;
  peak_rss_mb: number | null;
  error: string | null;
}
