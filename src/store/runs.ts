import type { FrozenRunConfig } from '../shared/api/runs';
import { SQL_NOW, type Db } from './db';
import type { BackendName } from '../shared/backends';
import { runConfigDocument } from './documents';
import { prepared } from './statements';
import type { WorkCostColumns } from './work-cost';

export type RunStatusValue = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

export interface RunRow extends WorkCostColumns {
  id: number;
  kind: 'train' | 'finetune' | 'sweep' | 'workflow' | 'import';
  name: string;
  parent_id: number | null;
  dataset_id: number | null;
  status: RunStatusValue;
  /** The frozen configuration, read through its versioned schema (older versions upgraded). */
  config: FrozenRunConfig;
  backend: string | null;
  created_at: string;
  epochs_done: number;
  checkpoint_dir: string | null;
  checkpoint_epoch: number | null;
  checkpoint_batch: number | null;
  /** Joined: the last epoch's validation (else training) accuracy. */
  last_acc: number | null;
}

export interface EpochPhaseRow {
  epoch: number;
  phase: 'train' | 'val';
  loss: number | null;
  acc: number | null;
  top5: number | null;
  lr: number;
  img_per_sec: number | null;
  seconds: number | null;
}

const SELECT_RUN = `
  SELECT r.*, (SELECT e.acc FROM epochs e WHERE e.run_id = r.id
                ORDER BY e.epoch DESC, e.phase = 'val' DESC LIMIT 1) AS last_acc
    FROM runs r`;

/** A row as SQLite returns it, before its JSON is read. */
type StoredRunRow = Omit<RunRow, 'config'> & { config: string };

function readRun(row: StoredRunRow): RunRow {
  return { ...row, config: runConfigDocument.read(row.config, `run #${row.id}`) };
}

export interface NewRun {
  kind: RunRow['kind'];
  name: string;
  parentId: number | null;
  datasetId: number | null;
  config: FrozenRunConfig;
  /** Called with the new id; returns the run's checkpoint folder. */
  checkpointDir(id: number): string;
}

/** Inserts a queued run with its frozen config; returns the row. */
export function insertRun(db: Db, run: NewRun): RunRow {
  return db.transaction(() => {
    const { lastInsertRowid } = prepared(
      db,
      `INSERT INTO runs (kind, name, parent_id, dataset_id, status, config) VALUES (?, ?, ?, ?, 'queued', ?)`,
    ).run(run.kind, run.name, run.parentId, run.datasetId, runConfigDocument.write(run.config));
    const id = Number(lastInsertRowid);
    prepared(db, `UPDATE runs SET checkpoint_dir = ? WHERE id = ?`).run(run.checkpointDir(id), id);
    return getRun(db, id)!;
  })();
}

export function getRun(db: Db, id: number): RunRow | undefined {
  const row = prepared(db, `${SELECT_RUN} WHERE r.id = ?`).get(id) as StoredRunRow | undefined;
  return row && readRun(row);
}

export function listRuns(db: Db): RunRow[] {
  return (prepared(db, `${SELECT_RUN} ORDER BY r.id DESC`).all() as StoredRunRow[]).map(readRun);
}

/** Every run's checkpoint folder: the run folders this database owns. */
export function runFolders(db: Db): string[] {
  return (
    prepared(db, `SELECT checkpoint_dir FROM runs WHERE checkpoint_dir IS NOT NULL`).all() as { checkpoint_dir: string }[]
  ).map((r) => r.checkpoint_dir);
}

export function deleteRun(db: Db, id: number): boolean {
  return prepared(db, `DELETE FROM runs WHERE id = ?`).run(id).changes > 0;
}

export function markQueued(db: Db, id: number): void {
  prepared(db, `UPDATE runs SET status = 'queued', error = NULL, finished_at = NULL WHERE id = ?`).run(id);
}

export function markRunning(db: Db, id: number): void {
  prepared(
    db,
    `UPDATE runs SET status = 'running', error = NULL, started_at = COALESCE(started_at, ${SQL_NOW}) WHERE id = ?`,
  ).run(id);
}

export function setBackend(db: Db, id: number, backend: string): void {
  prepared(db, `UPDATE runs SET backend = ? WHERE id = ?`).run(backend, id);
}

/** Makes a stopped run's config name another backend (a retry on a rung that loads here). */
export function setConfigBackend(db: Db, id: number, backend: BackendName): void {
  // Through the stored document: read at any version, written validated as the latest.
  const row = prepared(db, `SELECT config FROM runs WHERE id = ?`).get(id) as { config: string } | undefined;
  if (!row) return;
  const config = { ...runConfigDocument.read(row.config, `run #${id}`), backend };
  prepared(db, `UPDATE runs SET config = ? WHERE id = ?`).run(runConfigDocument.write(config), id);
}

export interface SessionEnd {
  status: Exclude<RunStatusValue, 'queued' | 'running'>;
  error?: string | null;
  wallSeconds?: number;
  imgPerSec?: number | null;
  peakRssMb?: number | null;
}

/** Ends an engine session of a run: status, reason, and the session's time, speed and peak memory. */
export function endSession(db: Db, id: number, end: SessionEnd): void {
  prepared(
    db,
    `UPDATE runs SET status = ?, error = ?, finished_at = ${SQL_NOW},
       wall_seconds = wall_seconds + ?, img_per_sec = COALESCE(?, img_per_sec),
       peak_rss_mb = MAX(COALESCE(peak_rss_mb, 0), COALESCE(?, 0)) WHERE id = ?`,
  ).run(end.status, end.error ?? null, end.wallSeconds ?? 0, end.imgPerSec ?? null, end.peakRssMb ?? null, id);
}

/** Marks runs a previous lab process left queued or running as interrupted; returns their ids. */
export function interruptActiveRuns(db: Db, reason: string): number[] {
  const ids = (prepared(db, `SELECT id FROM runs WHERE status IN ('queued', 'running')`).all() as { id: number }[]).map(
    (r) => r.id,
  );
  prepared(db, `UPDATE runs SET status = 'interrupted', error = ? WHERE status IN ('queued', 'running')`).run(reason);
  return ids;
}

/** Writes one epoch's rows (train and val) and the run's progress in one transaction; a repeated epoch replaces its rows. */
export function saveEpoch(db: Db, runId: number, rows: EpochPhaseRow[]): void {
  const insert = prepared(
    db,
    `INSERT OR REPLACE INTO epochs (run_id, epoch, phase, loss, acc, top5, lr, img_per_sec, seconds)
     VALUES (@runId, @epoch, @phase, @loss, @acc, @top5, @lr, @img_per_sec, @seconds)`,
  );
  db.transaction(() => {
    for (const row of rows) insert.run({ runId, ...row });
    prepared(db, `UPDATE runs SET epochs_done = MAX(epochs_done, ?) WHERE id = ?`).run(
      Math.max(...rows.map((r) => r.epoch)) + 1,
      runId,
    );
  })();
}

export function setCheckpoint(db: Db, id: number, epoch: number, batch: number): void {
  prepared(db, `UPDATE runs SET checkpoint_epoch = ?, checkpoint_batch = ? WHERE id = ?`).run(epoch, batch, id);
}

export function listEpochs(db: Db, runId: number): EpochPhaseRow[] {
  return prepared(
    db,
    `SELECT epoch, phase, loss, acc, top5, lr, img_per_sec, seconds FROM epochs WHERE run_id = ? ORDER BY epoch, phase`,
  ).all(runId) as EpochPhaseRow[];
}
