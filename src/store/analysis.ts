import { ActivationSummary, type FrechetParams } from '../shared/api/analysis';
import { SQL_NOW, type Db } from './db';
import { histogramDocument } from './documents';
import { prepared } from './statements';

export type SweepAdapter = 'none' | 'frechet' | 'finetuned';

/** Accuracy and loss of one run evaluated at one test size, with or without an adapter. */
export interface SweepPoint {
  runId: number;
  kTest: number;
  adapter: SweepAdapter;
  /** Fractions in [0, 1]. */
  top1: number;
  top5: number | null;
  loss: number | null;
  /** Validation images evaluated. */
  n: number;
}

/** Pooled-feature statistics of one run at one test size, with the Fréchet fit if one was made. */
export interface ActivationStatsRecord {
  runId: number;
  kTest: number;
  summary: ActivationSummary;
  frechet: FrechetParams | null;
}

/** Stores a sweep point, replacing an earlier one for the same (run, K_test, adapter). */
export function saveSweepPoint(db: Db, p: SweepPoint): void {
  prepared(
    db,
    `INSERT INTO sweep_points (run_id, k_test, adapter, top1, top5, loss, n) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, k_test, adapter) DO UPDATE SET
         top1 = excluded.top1, top5 = excluded.top5, loss = excluded.loss, n = excluded.n,
         created_at = ${SQL_NOW}`,
  ).run(p.runId, p.kTest, p.adapter, p.top1, p.top5, p.loss, p.n);
}

/** A run's sweep points, by adapter then K_test; one adapter's series if given. */
export function listSweepPoints(db: Db, runId: number, adapter?: SweepAdapter): SweepPoint[] {
  const rows = prepared(
    db,
    `SELECT run_id AS runId, k_test AS kTest, adapter, top1, top5, loss, n FROM sweep_points
        WHERE run_id = ? AND (? IS NULL OR adapter = ?) ORDER BY adapter, k_test`,
  ).all(runId, adapter ?? null, adapter ?? null);
  return rows as SweepPoint[];
}

export function deleteSweepPoints(db: Db, runId: number, adapter?: SweepAdapter): number {
  return prepared(db, `DELETE FROM sweep_points WHERE run_id = ? AND (? IS NULL OR adapter = ?)`).run(
    runId,
    adapter ?? null,
    adapter ?? null,
  ).changes;
}

/** Stores activation statistics, replacing earlier ones for the same (run, K_test). */
export function saveActivationStats(db: Db, r: ActivationStatsRecord): void {
  const s = r.summary;
  const f = r.frechet;
  prepared(
    db,
    `INSERT INTO activation_stats (run_id, k_test, n, non_finite, mean, std, zero_frac, min, max, histogram,
         frechet_mu, frechet_sigma, frechet_xi, frechet_zeros, frechet_ks)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, k_test) DO UPDATE SET
         n = excluded.n, non_finite = excluded.non_finite, mean = excluded.mean, std = excluded.std,
         zero_frac = excluded.zero_frac, min = excluded.min, max = excluded.max, histogram = excluded.histogram,
         frechet_mu = excluded.frechet_mu, frechet_sigma = excluded.frechet_sigma, frechet_xi = excluded.frechet_xi,
         frechet_zeros = excluded.frechet_zeros, frechet_ks = excluded.frechet_ks,
         created_at = ${SQL_NOW}`,
  ).run(
    r.runId,
    r.kTest,
    s.n,
    s.nonFinite,
    s.mean,
    s.std,
    s.n ? s.zeros / s.n : 0,
    s.min,
    s.max,
    histogramDocument.write(s.histogram),
    f?.mu ?? null,
    f?.sigma ?? null,
    f?.xi ?? null,
    f?.zeros ?? null,
    f?.ks ?? null,
  );
}

interface ActivationStatsRow {
  run_id: number;
  k_test: number;
  n: number;
  non_finite: number;
  mean: number;
  std: number;
  zero_frac: number;
  min: number;
  max: number;
  histogram: string;
  frechet_mu: number | null;
  frechet_sigma: number | null;
  frechet_xi: number | null;
  frechet_zeros: 'censored' | 'include' | null;
  frechet_ks: number | null;
}

/** A run's activation statistics by K_test. The stored histogram is validated on the way out. */
export function listActivationStats(db: Db, runId: number): ActivationStatsRecord[] {
  const rows = prepared(db, `SELECT * FROM activation_stats WHERE run_id = ? ORDER BY k_test`).all(runId) as ActivationStatsRow[];
  return rows.map((row) => ({
    runId: row.run_id,
    kTest: row.k_test,
    summary: ActivationSummary.parse({
      n: row.n,
      nonFinite: row.non_finite,
      zeros: Math.round(row.zero_frac * row.n),
      mean: row.mean,
      std: row.std,
      min: row.min,
      max: row.max,
      histogram: histogramDocument.read(row.histogram, `run #${row.run_id} at K_test ${row.k_test}`),
    }),
    frechet:
      row.frechet_mu === null || row.frechet_sigma === null || row.frechet_xi === null || row.frechet_zeros === null
        ? null
        : { mu: row.frechet_mu, sigma: row.frechet_sigma, xi: row.frechet_xi, zeros: row.frechet_zeros, ks: row.frechet_ks ?? 0 },
  }));
}
