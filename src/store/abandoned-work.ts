import type { Db } from './db';

/** Ids of work by kind (runs, sweeps, workflows, datasets being scanned). */
export interface WorkIds {
  runs: number[];
  sweeps: number[];
  workflows: number[];
  scans: number[];
}

/** What each kind of abandoned work is told, so the user knows how to continue it. */
export interface AbandonReasons {
  run: string;
  sweep: string;
  workflow: string;
  scan: string;
}

/**
 * Marks the given work interrupted (scans: failed) where it is still queued or running, in one
 * transaction; returns the ids that changed. Work that ended meanwhile is left as it is.
 */
export function interruptWork(db: Db, work: WorkIds, reasons: AbandonReasons): WorkIds {
  const update = (sql: string, ids: number[], reason: string): number[] =>
    ids.length
      ? (
          db.prepare(`${sql} AND id IN (${ids.map(() => '?').join(',')}) RETURNING id`).all(reason, ...ids) as { id: number }[]
        ).map((r) => r.id)
      : [];
  return db.transaction(() => {
    const workflows = update(
      `UPDATE workflows SET status = 'interrupted', error = ? WHERE status IN ('queued', 'running')`,
      work.workflows,
      reasons.workflow,
    );
    for (const id of workflows)
      db.prepare(`UPDATE workflow_steps SET status = 'interrupted', error = ? WHERE workflow_id = ? AND status = 'running'`).run(
        reasons.workflow,
        id,
      );
    return {
      runs: update(
        `UPDATE runs SET status = 'interrupted', error = ? WHERE status IN ('queued', 'running')`,
        work.runs,
        reasons.run,
      ),
      sweeps: update(
        `UPDATE sweeps SET status = 'interrupted', error = ? WHERE status IN ('queued', 'running')`,
        work.sweeps,
        reasons.sweep,
      ),
      workflows,
      scans: update(`UPDATE datasets SET status = 'failed', error = ? WHERE status = 'scanning'`, work.scans, reasons.scan),
    };
  })();
}

/** Fails every scan a previous lab process left 'scanning' (only a lab alone on its data folder may call this). */
export function failActiveScans(db: Db, reason: string): void {
  db.prepare(`UPDATE datasets SET status = 'failed', error = ? WHERE status = 'scanning'`).run(reason);
}
