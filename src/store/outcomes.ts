import type { ConfusionMatrix, OutcomeKey } from '../shared/api/outcomes';
import { SQL_NOW, type Db } from './db';
import { confusionMatrixDocument } from './documents';
import { prepared } from './statements';

export type OutcomeSource = 'sweep' | 'training' | 'evaluation';

/** A misclassified image of a point. */
export interface MistakeRecord {
  relPath: string;
  trueClass: number;
  predictedClass: number;
  confidence: number;
}

/** A stored point: its key, what measured it, its totals and its matrix. */
export interface OutcomeRecord extends OutcomeKey {
  source: OutcomeSource;
  n: number;
  correct: number;
  matrix: ConfusionMatrix;
  createdAt: string;
}

interface OutcomeRow {
  run_id: number;
  k_test: number;
  adapter: 'none' | 'frechet';
  source: OutcomeSource;
  n: number;
  correct: number;
  matrix: string;
  created_at: string;
}

/** Stores (or replaces) a point's matrix and its mistakes, in one transaction. */
export function saveOutcome(
  db: Db,
  p: OutcomeKey & { source: OutcomeSource; matrix: ConfusionMatrix; mistakes: readonly MistakeRecord[] },
): void {
  const n = p.matrix.confusion.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const correct = p.matrix.confusion.reduce((s, row, i) => s + (row[i] ?? 0), 0);
  const key = [p.runId, p.kTest, p.adapter] as const;
  db.transaction(() => {
    prepared(db, `DELETE FROM point_mistakes WHERE run_id = ? AND k_test = ? AND adapter = ?`).run(...key);
    prepared(
      db,
      `INSERT INTO point_outcomes (run_id, k_test, adapter, source, n, correct, matrix) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, k_test, adapter) DO UPDATE SET
           source = excluded.source, n = excluded.n, correct = excluded.correct, matrix = excluded.matrix, created_at = ${SQL_NOW}`,
    ).run(...key, p.source, n, correct, confusionMatrixDocument.write(p.matrix));
    const insert = prepared(
      db,
      `INSERT INTO point_mistakes (run_id, k_test, adapter, rel_path, true_class, predicted_class, confidence) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const m of p.mistakes) insert.run(...key, m.relPath, m.trueClass, m.predictedClass, m.confidence);
  })();
}

/** The stored points of some runs, by run, adapter and K_test. */
export function listOutcomes(db: Db, runIds: readonly number[]): OutcomeRecord[] {
  if (!runIds.length) return [];
  const rows = db
    .prepare(`SELECT * FROM point_outcomes WHERE run_id IN (${runIds.map(() => '?').join(',')}) ORDER BY run_id, adapter, k_test`)
    .all(...runIds) as OutcomeRow[];
  return rows.map(toRecord);
}

export function getOutcome(db: Db, key: OutcomeKey): OutcomeRecord | null {
  const row = prepared(db, `SELECT * FROM point_outcomes WHERE run_id = ? AND k_test = ? AND adapter = ?`).get(
    key.runId,
    key.kTest,
    key.adapter,
  ) as OutcomeRow | undefined;
  return row ? toRecord(row) : null;
}

export interface MistakeFilter extends OutcomeKey {
  trueClass?: number;
  predictedClass?: number;
  offset: number;
  limit: number;
}

/** A page of a point's mistakes, most confident first (then by path), optionally of one true and/or predicted class. */
export function listMistakes(db: Db, f: MistakeFilter): { total: number; items: MistakeRecord[] } {
  const where = `run_id = @runId AND k_test = @kTest AND adapter = @adapter
    AND (@trueClass IS NULL OR true_class = @trueClass) AND (@predictedClass IS NULL OR predicted_class = @predictedClass)`;
  const params = {
    runId: f.runId,
    kTest: f.kTest,
    adapter: f.adapter,
    trueClass: f.trueClass ?? null,
    predictedClass: f.predictedClass ?? null,
  };
  const { total } = prepared(db, `SELECT COUNT(*) AS total FROM point_mistakes WHERE ${where}`).get(params) as { total: number };
  const items = prepared(
    db,
    `SELECT rel_path AS relPath, true_class AS trueClass, predicted_class AS predictedClass, confidence
       FROM point_mistakes WHERE ${where} ORDER BY confidence DESC, rel_path LIMIT @limit OFFSET @offset`,
  ).all({ ...params, limit: f.limit, offset: f.offset }) as MistakeRecord[];
  return { total, items };
}

function toRecord(row: OutcomeRow): OutcomeRecord {
  const where = `run #${row.run_id} at K_test ${row.k_test} (${row.adapter})`;
  return {
    runId: row.run_id,
    kTest: row.k_test,
    adapter: row.adapter,
    source: row.source,
    n: row.n,
    correct: row.correct,
    matrix: confusionMatrixDocument.read(row.matrix, where),
    createdAt: row.created_at,
  };
}
