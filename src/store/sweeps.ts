import type { SweepPoint, SweepReference, SweepSettings } from '../shared/api/sweeps';
import { saveActivationStats, saveSweepPoint, type ActivationStatsRecord } from './analysis';
import { SQL_NOW, type Db } from './db';
import { sweepReferenceDocument, sweepSettingsDocument } from './documents';
import { prepared } from './statements';
import type { RunStatusValue } from './runs';
import type { WorkCostColumns } from './work-cost';

export interface SweepRow extends WorkCostColumns {
  id: number;
  run_id: number;
  adapter: 'none' | 'frechet';
  status: RunStatusValue;
  settings: SweepSettings;
  reference: SweepReference | null;
  backend: string | null;
  created_at: string;
  /** Joined: K_test values with a point of this sweep's own adapter. */
  done: number;
}

const SELECT_SWEEP = `
  SELECT s.*, (SELECT COUNT(*) FROM sweep_points p WHERE p.sweep_id = s.id AND p.adapter = s.adapter) AS done
    FROM sweeps s`;

/** A row as SQLite returns it, before its JSON is read. */
type StoredSweepRow = Omit<SweepRow, 'settings' | 'reference'> & { settings: string; reference: string | null };

function readSweep(row: StoredSweepRow): SweepRow {
  const where = `sweep #${row.id}`;
  return {
    ...row,
    settings: sweepSettingsDocument.read(row.settings, where),
    reference: row.reference === null ? null : sweepReferenceDocument.read(row.reference, where),
  };
}

/** Inserts a queued sweep of a run with its resolved settings. */
export function insertSweep(db: Db, sweep: { runId: number; adapter: 'none' | 'frechet'; settings: SweepSettings }): SweepRow {
  const { lastInsertRowid } = prepared(
    db,
    `INSERT INTO sweeps (run_id, adapter, status, settings) VALUES (?, ?, 'queued', ?)`,
  ).run(sweep.runId, sweep.adapter, sweepSettingsDocument.write(sweep.settings));
  return getSweep(db, Number(lastInsertRowid))!;
}

export function getSweep(db: Db, id: number): SweepRow | undefined {
  const row = prepared(db, `${SELECT_SWEEP} WHERE s.id = ?`).get(id) as StoredSweepRow | undefined;
  return row && readSweep(row);
}

/** Sweeps, newest first; one run's if given. */
export function listSweeps(db: Db, runId?: number): SweepRow[] {
  const rows = prepared(db, `${SELECT_SWEEP} WHERE (? IS NULL OR s.run_id = ?) ORDER BY s.id DESC`).all(
    runId ?? null,
    runId ?? null,
  ) as StoredSweepRow[];
  return rows.map(readSweep);
}

export function markSweepQueued(db: Db, id: number): void {
  prepared(db, `UPDATE sweeps SET status = 'queued', error = NULL, finished_at = NULL WHERE id = ?`).run(id);
}

export function markSweepRunning(db: Db, id: number): void {
  prepared(
    db,
    `UPDATE sweeps SET status = 'running', error = NULL, started_at = COALESCE(started_at, ${SQL_NOW}) WHERE id = ?`,
  ).run(id);
}

export function setSweepBackend(db: Db, id: number, backend: string): void {
  prepared(db, `UPDATE sweeps SET backend = ? WHERE id = ?`).run(backend, id);
}

export function setSweepReference(db: Db, id: number, reference: SweepReference): void {
  prepared(db, `UPDATE sweeps SET reference = ? WHERE id = ?`).run(sweepReferenceDocument.write(reference), id);
}

export interface SweepEnd {
  status: Exclude<RunStatusValue, 'queued' | 'running'>;
  error?: string | null;
  wallSeconds?: number;
  imgPerSec?: number | null;
  peakRssMb?: number | null;
}

/** Ends a session of a sweep: status, reason, time added, speed and peak memory. */
export function endSweep(db: Db, id: number, end: SweepEnd): void {
  prepared(
    db,
    `UPDATE sweeps SET status = ?, error = ?, finished_at = ${SQL_NOW}, wall_seconds = wall_seconds + ?,
       img_per_sec = COALESCE(?, img_per_sec), peak_rss_mb = MAX(COALESCE(peak_rss_mb, 0), COALESCE(?, 0)) WHERE id = ?`,
  ).run(end.status, end.error ?? null, end.wallSeconds ?? 0, end.imgPerSec ?? null, end.peakRssMb ?? null, id);
}

/** Marks sweeps a previous lab process left queued or running as interrupted. */
export function interruptActiveSweeps(db: Db, reason: string): void {
  prepared(db, `UPDATE sweeps SET status = 'interrupted', error = ? WHERE status IN ('queued', 'running')`).run(reason);
}

/** One measured K_test of a sweep: its points (each adapter) and its activation statistics, in one transaction. */
export function saveSweepResolution(
  db: Db,
  sweepId: number,
  points: readonly Omit<SweepPoint, 'sweepId'>[],
  activations: ActivationStatsRecord | null,
): void {
  const timing = prepared(
    db,
    `UPDATE sweep_points SET sweep_id = ?, seconds = ?, img_per_sec = ? WHERE run_id = ? AND k_test = ? AND adapter = ?`,
  );
  db.transaction(() => {
    for (const p of points) {
      saveSweepPoint(db, p);
      timing.run(sweepId, p.seconds, p.imgPerSec, p.runId, p.kTest, p.adapter);
    }
    if (activations) saveActivationStats(db, activations);
  })();
}

const SELECT_POINT = `
  SELECT run_id AS runId, sweep_id AS sweepId, k_test AS kTest, adapter, top1, top5, loss, n, seconds, img_per_sec AS imgPerSec
    FROM sweep_points`;

/** A run's points with their sweep and timing, by adapter then K_test. */
export function listRunPoints(db: Db, runId: number): SweepPoint[] {
  return prepared(db, `${SELECT_POINT} WHERE run_id = ? ORDER BY adapter, k_test`).all(runId) as SweepPoint[];
}

/** The points a sweep measured. */
export function listSweepPointsOf(db: Db, sweepId: number): SweepPoint[] {
  return prepared(db, `${SELECT_POINT} WHERE sweep_id = ? ORDER BY adapter, k_test`).all(sweepId) as SweepPoint[];
}
