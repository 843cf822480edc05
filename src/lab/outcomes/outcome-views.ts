import type { ClassAccuracy, Mistake, MistakesRequest, OutcomeDetail, OutcomeKey, OutcomePoint } from '../../shared/api/outcomes';
import type { z } from 'zod';
import { userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import { getOutcome, listMistakes, listOutcomes, type OutcomeRecord } from '../../store/outcomes';
import { getRun, type RunRow } from '../../store/runs';
import { prepared } from '../../store/statements';
import { runFamily, seriesLabel, type SeriesKind } from '../sweeps';

/** Every stored point of a run family (the base run as is and adapted, its fine-tuned children), as the pickers list them. */
export function outcomePoints(db: Db, runId: number): OutcomePoint[] {
  const { base, children } = runFamily(db, runId);
  const runs = new Map([base, ...children].map((r) => [r.id, r]));
  return listOutcomes(db, [...runs.keys()]).map((o) => toPoint(o, runs.get(o.runId)!, seriesOf(o, base)));
}

/** One point with its matrix and per-class accuracy. */
export function outcomeDetail(db: Db, key: OutcomeKey): OutcomeDetail {
  const record = requireOutcome(db, key);
  const run = getRun(db, key.runId)!;
  const { base } = runFamily(db, key.runId);
  const { classNames, confusion } = record.matrix;
  return {
    ...toPoint(record, run, seriesOf(record, base)),
    classNames,
    confusion,
    perClass: perClassAccuracy(classNames, confusion),
  };
}

/** A page of a point's misclassified images with the ids the dataset knows them by (for thumbnails). */
export function outcomeMistakes(db: Db, request: z.output<typeof MistakesRequest>): { total: number; items: Mistake[] } {
  requireOutcome(db, request);
  const datasetId = getRun(db, request.runId)?.dataset_id ?? null;
  const page = listMistakes(db, request);
  const idOf = prepared(db, `SELECT id FROM images WHERE dataset_id = ? AND rel_path = ?`);
  return {
    total: page.total,
    items: page.items.map((m) => ({
      ...m,
      imageId: datasetId === null ? null : ((idOf.get(datasetId, m.relPath) as { id: number } | undefined)?.id ?? null),
    })),
  };
}

/** Per true class: images, right answers, accuracy, and the class most of its mistakes went to. */
export function perClassAccuracy(classNames: readonly string[], confusion: readonly (readonly number[])[]): ClassAccuracy[] {
  return classNames.map((name, c) => {
    const row = confusion[c] ?? [];
    const n = row.reduce((a, b) => a + b, 0);
    const correct = row[c] ?? 0;
    let worst = -1;
    row.forEach((count, p) => {
      if (p !== c && count > 0 && (worst < 0 || count > row[worst]!)) worst = p;
    });
    return {
      name,
      n,
      correct,
      accuracy: n ? correct / n : null,
      confusedWith: worst < 0 ? null : { name: classNames[worst] ?? `class ${worst}`, count: row[worst]! },
    };
  });
}

function requireOutcome(db: Db, key: OutcomeKey): OutcomeRecord {
  const record = getOutcome(db, key);
  if (!record) {
    if (!getRun(db, key.runId)) runFamily(db, key.runId); // names a deleted or unknown run
    throw userError(
      `Run #${key.runId} has no confusion matrix at K_test ${key.kTest}${key.adapter === 'frechet' ? ' with the Fréchet adaptation' : ''}: run a sweep there first`,
      'kTest',
    );
  }
  return record;
}

function seriesOf(o: OutcomeRecord, base: RunRow): SeriesKind {
  if (o.runId !== base.id) return 'finetuned';
  return o.adapter === 'frechet' ? 'frechet' : 'baseline';
}

function toPoint(o: OutcomeRecord, run: RunRow, series: SeriesKind): OutcomePoint {
  return {
    runId: o.runId,
    kTest: o.kTest,
    adapter: o.adapter,
    source: o.source,
    series,
    label: seriesLabel(run, series),
    n: o.n,
    correct: o.correct,
    top1: o.n ? o.correct / o.n : null,
    createdAt: o.createdAt,
  };
}

/** A point with its matrix, per-class accuracy and its most confident mistakes: what reports and `--json` print. */
export type OutcomeWithMistakes = OutcomeDetail & { mistakes: Mistake[]; mistakesTotal: number };

/** Every stored point of a run family (or of one run) with up to `mistakes` of its most confident mistakes each. */
export function outcomesWithMistakes(db: Db, runId: number, o: { onlyRun?: boolean; mistakes: number }): OutcomeWithMistakes[] {
  return outcomePoints(db, runId)
    .filter((p) => !o.onlyRun || p.runId === runId)
    .map((p) => {
      const key = { runId: p.runId, kTest: p.kTest, adapter: p.adapter };
      const page = outcomeMistakes(db, { ...key, offset: 0, limit: Math.max(1, o.mistakes) });
      return { ...outcomeDetail(db, key), mistakes: page.items.slice(0, o.mistakes), mistakesTotal: page.total };
    });
}
