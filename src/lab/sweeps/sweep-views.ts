import { workCostOf } from '../jobs';
import { onSharedBins, type SharedSeries } from '../../core/activation-bins';
import { observedCdf } from '../../core/frechet';
import { bestKTest } from '../../core/ktest';
import type { FrechetParams } from '../../shared/api/analysis';
import type { ActivationsView, ResolutionChart, ResolutionSeries, Sweep, SweepPoint } from '../../shared/api/sweeps';
import { listActivationStats } from '../../store/analysis';
import type { Db } from '../../store/db';
import { getRun, listRuns, type RunRow } from '../../store/runs';
import { listRunPoints, listSweeps, type SweepRow } from '../../store/sweeps';
import { missingRow } from '../missing-row';

/** A stored sweep as the contract shows it. */
export function toSweep(row: SweepRow): Sweep {
  return {
    id: row.id,
    runId: row.run_id,
    adapter: row.adapter,
    status: row.status,
    settings: row.settings,
    reference: row.reference,
    backend: row.backend,
    createdAt: row.created_at,
    ...workCostOf(row),
    done: row.done,
  };
}

const configOf = (row: RunRow) => row.config;

/**
 * The Resolution chart of a run: its own series (tested as is, and with the Fréchet adaptation)
 * and one series per fine-tuned child (the child's own sweep, labelled as fine-tuned). Asked for
 * a fine-tuned run, the chart is its parent's, so both views show the same picture.
 */
export function resolutionChart(db: Db, runId: number): ResolutionChart {
  let base = requireRun(db, runId);
  if (base.kind === 'finetune' && base.parent_id !== null) base = getRun(db, base.parent_id) ?? base;
  const config = configOf(base);
  const own = listRunPoints(db, base.id);
  const series: ResolutionSeries[] = [];
  const add = (run: RunRow, points: SweepPoint[], kind: ResolutionSeries['kind'], label: string) => {
    if (points.length)
      series.push({
        key: `${run.id}:${kind}`,
        label,
        kind,
        runId: run.id,
        kTrain: configOf(run).kTrain,
        points: points.map(toChartPoint),
      });
  };
  add(
    base,
    own.filter((p) => p.adapter === 'none'),
    'baseline',
    `#${base.id} trained at ${config.kTrain}`,
  );
  add(
    base,
    own.filter((p) => p.adapter === 'frechet'),
    'frechet',
    `#${base.id} + Fréchet adaptation`,
  );
  for (const child of listRuns(db)
    .filter((r) => r.parent_id === base.id && r.kind === 'finetune')
    .reverse()) {
    const c = configOf(child);
    add(
      child,
      listRunPoints(db, child.id).filter((p) => p.adapter !== 'frechet'),
      'finetuned',
      `#${child.id} fine-tuned (${c.trainable}, ${c.augment.toUpperCase()}) at ${c.kTrain}`,
    );
  }
  const candidates = series.flatMap((s) => s.points.map((p) => ({ key: s.key, kTest: p.kTest, top1: p.top1 })));
  const best = bestKTest(candidates);
  const atKTrain = series.find((s) => s.kind === 'baseline')?.points.find((p) => p.kTest === config.kTrain) ?? null;
  const latest = listSweeps(db, base.id)[0];
  return {
    runId: base.id,
    kTrain: config.kTrain,
    kTestStar: latest ? latest.settings.kTestStar : null,
    cropPct: config.cropPct,
    series,
    best,
    atKTrain: atKTrain ? { top1: atKTrain.top1 } : null,
  };
}

function toChartPoint(p: SweepPoint): ResolutionSeries['points'][number] {
  return { kTest: p.kTest, top1: p.top1, top5: p.top5, loss: p.loss, n: p.n };
}

/** A run's pooled-feature statistics per K_test and its Fréchet reference on one shared grid. */
export function activationsView(db: Db, runId: number, options: { bins: number }): ActivationsView {
  const run = requireRun(db, runId);
  const stats = listActivationStats(db, runId);
  const reference =
    listSweeps(db, runId)
      .map((s) => s.reference)
      .find((r) => r !== null && r.summary.n > 0) ?? null;
  const summaries = [...stats.map((s) => s.summary), ...(reference ? [reference.summary] : [])];
  const shared = onSharedBins(summaries, { bins: options.bins });
  const curve = (s: SharedSeries, fit: FrechetParams | null) => ({
    ...s,
    fittedCdf: fit ? shared.edges.slice(1).map((x) => observedCdf(x, fit)) : null,
  });
  return {
    runId,
    kTrain: configOf(run).kTrain,
    edges: shared.edges,
    series: stats.map((s, i) => ({
      kTest: s.kTest,
      n: s.summary.n,
      mean: s.summary.mean,
      std: s.summary.std,
      zeroFraction: s.summary.n ? s.summary.zeros / s.summary.n : 0,
      min: s.summary.min,
      max: s.summary.max,
      frechet: s.frechet,
      ...curve(shared.series[i]!, s.frechet),
    })),
    reference: reference
      ? {
          source: reference.source,
          kTrain: reference.kTrain,
          images: reference.images,
          frechet: reference.frechet,
          ...curve(shared.series[stats.length]!, reference.frechet),
        }
      : null,
  };
}

export function requireRun(db: Db, runId: number): RunRow {
  const run = getRun(db, runId);
  if (!run) throw missingRow(db, 'run', runId, 'runId');
  return run;
}
