import { SQL_NOW, type Db } from './db';
import type { WorkCostColumns } from './work-cost';
import type { RunStatusValue } from './runs';

export type StepStatusValue = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

export interface WorkflowRow {
  id: number;
  name: string;
  dataset_id: number | null;
  status: RunStatusValue;
  config: string;
  summary: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface WorkflowStepRow extends WorkCostColumns {
  workflow_id: number;
  position: number;
  step: string;
  status: StepStatusValue;
  run_id: number | null;
  sweep_id: number | null;
  output: string | null;
}

/** Inserts a queued workflow with its frozen config and one pending row per step, in one transaction. */
export function insertWorkflow(
  db: Db,
  w: { name: string; datasetId: number; config: unknown; steps: readonly string[] },
): WorkflowRow {
  return db.transaction(() => {
    const { lastInsertRowid } = db
      .prepare(`INSERT INTO workflows (name, dataset_id, status, config) VALUES (?, ?, 'queued', ?)`)
      .run(w.name, w.datasetId, JSON.stringify(w.config));
    const id = Number(lastInsertRowid);
    const step = db.prepare(`INSERT INTO workflow_steps (workflow_id, position, step, status) VALUES (?, ?, ?, 'pending')`);
    w.steps.forEach((name, position) => step.run(id, position, name));
    return getWorkflow(db, id)!;
  })();
}

export function getWorkflow(db: Db, id: number): WorkflowRow | undefined {
  return db.prepare(`SELECT * FROM workflows WHERE id = ?`).get(id) as WorkflowRow | undefined;
}

export function listWorkflows(db: Db): WorkflowRow[] {
  return db.prepare(`SELECT * FROM workflows ORDER BY id DESC`).all() as WorkflowRow[];
}

/** Makes a stopped workflow's config name another backend (a retry on a rung that loads here). */
export function setWorkflowConfigBackend(db: Db, id: number, backend: string): void {
  db.prepare(`UPDATE workflows SET config = json_set(config, '$.backend', ?) WHERE id = ?`).run(backend, id);
}

export function listWorkflowSteps(db: Db, workflowId: number): WorkflowStepRow[] {
  return db.prepare(`SELECT * FROM workflow_steps WHERE workflow_id = ? ORDER BY position`).all(workflowId) as WorkflowStepRow[];
}

export function deleteWorkflow(db: Db, id: number): boolean {
  return db.prepare(`DELETE FROM workflows WHERE id = ?`).run(id).changes > 0;
}

/** Sets a workflow's status; a terminal one stamps finished_at, `summary` is stored when given. */
export function setWorkflowStatus(
  db: Db,
  id: number,
  status: RunStatusValue,
  extra: { error?: string | null; summary?: unknown } = {},
): void {
  const terminal = status !== 'queued' && status !== 'running';
  db.prepare(
    `UPDATE workflows SET status = ?, error = ?, summary = COALESCE(?, summary),
       finished_at = CASE WHEN ? THEN ${SQL_NOW} ELSE NULL END WHERE id = ?`,
  ).run(status, extra.error ?? null, extra.summary === undefined ? null : JSON.stringify(extra.summary), terminal ? 1 : 0, id);
}

/** Marks a step running (keeping what an earlier attempt attached). */
export function startStep(db: Db, workflowId: number, position: number): void {
  db.prepare(
    `UPDATE workflow_steps SET status = 'running', error = NULL, started_at = COALESCE(started_at, ${SQL_NOW}), finished_at = NULL
      WHERE workflow_id = ? AND position = ?`,
  ).run(workflowId, position);
}

/** Records the run or sweep a step works on as soon as it exists, so a resumed step continues it. */
export function attachToStep(db: Db, workflowId: number, position: number, attach: { runId?: number; sweepId?: number }): void {
  db.prepare(
    `UPDATE workflow_steps SET run_id = COALESCE(?, run_id), sweep_id = COALESCE(?, sweep_id) WHERE workflow_id = ? AND position = ?`,
  ).run(attach.runId ?? null, attach.sweepId ?? null, workflowId, position);
}

export interface StepEnd {
  status: Exclude<StepStatusValue, 'pending' | 'running'>;
  seconds: number;
  output?: unknown;
  error?: string | null;
  peakRssMb?: number | null;
  imgPerSec?: number | null;
}

/** Ends an attempt at a step: status, time added, and (when completed) its output and cost. */
export function endStep(db: Db, workflowId: number, position: number, end: StepEnd): void {
  db.prepare(
    `UPDATE workflow_steps SET status = ?, error = ?, finished_at = ${SQL_NOW}, wall_seconds = wall_seconds + ?,
       output = COALESCE(?, output), peak_rss_mb = COALESCE(?, peak_rss_mb), img_per_sec = COALESCE(?, img_per_sec)
      WHERE workflow_id = ? AND position = ?`,
  ).run(
    end.status,
    end.error ?? null,
    end.seconds,
    end.output === undefined ? null : JSON.stringify(end.output),
    end.peakRssMb ?? null,
    end.imgPerSec ?? null,
    workflowId,
    position,
  );
}

/** Marks workflows (and their running steps) a previous lab process left active as interrupted. */
export function interruptActiveWorkflows(db: Db, reason: string): void {
  db.transaction(() => {
    db.prepare(
      `UPDATE workflow_steps SET status = 'interrupted', error = ?
        WHERE status = 'running' AND workflow_id IN (SELECT id FROM workflows WHERE status IN ('queued', 'running'))`,
    ).run(reason);
    db.prepare(`UPDATE workflows SET status = 'interrupted', error = ? WHERE status IN ('queued', 'running')`).run(reason);
  })();
}
