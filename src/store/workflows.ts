import type { WorkflowConfig, WorkflowStepName, WorkflowSummary } from '../shared/api/workflows';
import { SQL_NOW, type Db } from './db';
import type { BackendName } from '../shared/backends';
import { stepOutputDocuments, workflowConfigDocument, workflowSummaryDocument, type StepOutputOf } from './documents';
import type { RunStatusValue } from './runs';
import { prepared } from './statements';
import type { WorkCostColumns } from './work-cost';

export type StepStatusValue = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

export interface WorkflowRow {
  id: number;
  name: string;
  dataset_id: number | null;
  status: RunStatusValue;
  config: WorkflowConfig;
  summary: WorkflowSummary | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface WorkflowStepRow extends WorkCostColumns {
  workflow_id: number;
  position: number;
  step: WorkflowStepName;
  status: StepStatusValue;
  run_id: number | null;
  sweep_id: number | null;
  /** What the step found, read through its step's versioned schema. */
  output: StepOutputOf<WorkflowStepName> | null;
}

type StoredWorkflowRow = Omit<WorkflowRow, 'config' | 'summary'> & { config: string; summary: string | null };
type StoredStepRow = Omit<WorkflowStepRow, 'output'> & { output: string | null };

function readWorkflow(row: StoredWorkflowRow): WorkflowRow {
  const where = `workflow #${row.id}`;
  return {
    ...row,
    config: workflowConfigDocument.read(row.config, where),
    summary: row.summary === null ? null : workflowSummaryDocument.read(row.summary, where),
  };
}

function readStep(row: StoredStepRow): WorkflowStepRow {
  const where = `workflow #${row.workflow_id}`;
  return { ...row, output: row.output === null ? null : stepOutputDocuments[row.step].read(row.output, where) };
}

/** Inserts a queued workflow with its frozen config and one pending row per step, in one transaction. */
export function insertWorkflow(
  db: Db,
  w: { name: string; datasetId: number; config: WorkflowConfig; steps: readonly WorkflowStepName[] },
): WorkflowRow {
  return db.transaction(() => {
    const { lastInsertRowid } = prepared(
      db,
      `INSERT INTO workflows (name, dataset_id, status, config) VALUES (?, ?, 'queued', ?)`,
    ).run(w.name, w.datasetId, workflowConfigDocument.write(w.config));
    const id = Number(lastInsertRowid);
    const step = prepared(db, `INSERT INTO workflow_steps (workflow_id, position, step, status) VALUES (?, ?, ?, 'pending')`);
    w.steps.forEach((name, position) => step.run(id, position, name));
    return getWorkflow(db, id)!;
  })();
}

export function getWorkflow(db: Db, id: number): WorkflowRow | undefined {
  const row = prepared(db, `SELECT * FROM workflows WHERE id = ?`).get(id) as StoredWorkflowRow | undefined;
  return row && readWorkflow(row);
}

export function listWorkflows(db: Db): WorkflowRow[] {
  return (prepared(db, `SELECT * FROM workflows ORDER BY id DESC`).all() as StoredWorkflowRow[]).map(readWorkflow);
}

/** Makes a stopped workflow's config name another backend (a retry on a rung that loads here). */
export function setWorkflowConfigBackend(db: Db, id: number, backend: BackendName): void {
  // Through the stored document: read at any version, written validated as the latest.
  const row = prepared(db, `SELECT config FROM workflows WHERE id = ?`).get(id) as { config: string } | undefined;
  if (!row) return;
  const config = { ...workflowConfigDocument.read(row.config, `workflow #${id}`), backend };
  prepared(db, `UPDATE workflows SET config = ? WHERE id = ?`).run(workflowConfigDocument.write(config), id);
}

export function listWorkflowSteps(db: Db, workflowId: number): WorkflowStepRow[] {
  const rows = prepared(db, `SELECT * FROM workflow_steps WHERE workflow_id = ? ORDER BY position`).all(
    workflowId,
  ) as StoredStepRow[];
  return rows.map(readStep);
}

export function deleteWorkflow(db: Db, id: number): boolean {
  return prepared(db, `DELETE FROM workflows WHERE id = ?`).run(id).changes > 0;
}

/** Sets a workflow's status; a terminal one stamps finished_at, `summary` is stored when given. */
export function setWorkflowStatus(
  db: Db,
  id: number,
  status: RunStatusValue,
  extra: { error?: string | null; summary?: WorkflowSummary } = {},
): void {
  const terminal = status !== 'queued' && status !== 'running';
  prepared(
    db,
    `UPDATE workflows SET status = ?, error = ?, summary = COALESCE(?, summary),
       finished_at = CASE WHEN ? THEN ${SQL_NOW} ELSE NULL END WHERE id = ?`,
  ).run(
    status,
    extra.error ?? null,
    extra.summary === undefined ? null : workflowSummaryDocument.write(extra.summary),
    terminal ? 1 : 0,
    id,
  );
}

/** Marks a step running (keeping what an earlier attempt attached). */
export function startStep(db: Db, workflowId: number, position: number): void {
  prepared(
    db,
    `UPDATE workflow_steps SET status = 'running', error = NULL, started_at = COALESCE(started_at, ${SQL_NOW}), finished_at = NULL
      WHERE workflow_id = ? AND position = ?`,
  ).run(workflowId, position);
}

/** Records the run or sweep a step works on as soon as it exists, so a resumed step continues it. */
export function attachToStep(db: Db, workflowId: number, position: number, attach: { runId?: number; sweepId?: number }): void {
  prepared(
    db,
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
  const row = prepared(db, `SELECT step FROM workflow_steps WHERE workflow_id = ? AND position = ?`).get(workflowId, position) as
    { step: WorkflowStepName } | undefined;
  if (!row) return;
  // Each step's document checks its own shape.
  const output =
    end.output === undefined ? null : (stepOutputDocuments[row.step] as { write(v: unknown): string }).write(end.output);
  prepared(
    db,
    `UPDATE workflow_steps SET status = ?, error = ?, finished_at = ${SQL_NOW}, wall_seconds = wall_seconds + ?,
       output = COALESCE(?, output), peak_rss_mb = COALESCE(?, peak_rss_mb), img_per_sec = COALESCE(?, img_per_sec)
      WHERE workflow_id = ? AND position = ?`,
  ).run(end.status, end.error ?? null, end.seconds, output, end.peakRssMb ?? null, end.imgPerSec ?? null, workflowId, position);
}

/** Marks workflows (and their running steps) a previous lab process left active as interrupted. */
export function interruptActiveWorkflows(db: Db, reason: string): void {
  db.transaction(() => {
    prepared(
      db,
      `UPDATE workflow_steps SET status = 'interrupted', error = ?
        WHERE status = 'running' AND workflow_id IN (SELECT id FROM workflows WHERE status IN ('queued', 'running'))`,
    ).run(reason);
    prepared(db, `UPDATE workflows SET status = 'interrupted', error = ? WHERE status IN ('queued', 'running')`).run(reason);
  })();
}
