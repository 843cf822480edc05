import { workCostOf } from '../jobs';
import { onSharedBins, type SharedSeries } from '../../core/activation-bins';
import { observedCdf } from '../../core/frechet';
import type { FrechetParams } from '../../shared/api/analysis';
import type { ActivationsView, ResolutionChart, ResolutionSeries, Sweep, SweepPoint } from '../../shared/api/sweeps';
import { listActivationStats } from '../../store/analysis';
import type { Db } from '../../store/db';
import { classCounts } from '../../store/datasets';
import { listPointImages } from '../../store/point-images';
import { getRun, type RunRow } from '../../store/runs';
import {
  accuracyOn,
  bestOn,
  gainBetween,
  protocolFor,
  warningsFor,
  withImages,
  withStatistics,
  type MeasuredPoint,
} from './point-statistics';
import { listRunPoints, listSweeps, type SweepRow } from '../../store/sweeps';
import { missingRow } from '../missing-row';
import { runFamily, seriesLabel } from './run-family';

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
 * a fine-tuned run, the chart is its parent's, so both views show the same picture. Every point
 * carries its Wilson interval; the best point is picked on the selection half of the validation
 * images and reported on the held-out half, with McNemar's test against testing at K_train.
 */
export function resolutionChart(db: Db, runId: number): ResolutionChart {
  const { base, children } = runFamily(db, runId);
  const config = configOf(base);
  const series: ResolutionSeries[] = [];
  const measured: (MeasuredPoint & { key: string })[] = [];
  const add = (run: RunRow, kind: ResolutionSeries['kind'], keep: (p: SweepPoint) => boolean) => {
    const points = withImages(listRunPoints(db, run.id).filter(keep), listPointImages(db, run.id));
    if (!points.length) return;
    const key = `${run.id}:${kind}`;
    measured.push(...points.map((m) => ({ ...m, key })));
    series.push({ key, label: seriesLabel(run, kind), kind, runId: run.id, kTrain: configOf(run).kTrain, points: points.map(toChartPoint) });
  };
  add(base, 'baseline', (p) => p.adapter === 'none');
  add(base, 'frechet', (p) => p.adapter === 'frechet');
  for (const child of children) add(child, 'finetuned', (p) => p.adapter !== 'frechet');
  const latest = listSweeps(db, base.id)[0];
  return {
    runId: base.id,
    kTrain: config.kTrain,
    kTestStar: latest ? latest.settings.kTestStar : null,
    cropPct: config.cropPct,
    series,
    ...bestAndGain(
      measured,
      config.kTrain,
      `${base.id}:baseline`,
      base.dataset_id === null ? 0 : classCounts(db, base.dataset_id).length,
    ),
  };
}

/** The chart's best point (picked on one half, reported on the other), the baseline at K_train and the gain between them. */
function bestAndGain(
  measured: readonly (MeasuredPoint & { key: string })[],
  kTrain: number,
  baselineKey: string,
  numClasses: number,
): Pick<ResolutionChart, 'best' | 'atKTrain' | 'gain' | 'warnings'> {
  const { pickOn, reportOn } = protocolFor(measured);
  const best = bestOn(measured, pickOn);
  const base = measured.find((m) => m.key === baselineKey && m.point.kTest === kTrain) ?? null;
  const reported = best && accuracyOn(best, reportOn)!;
  const warnings = reported ? warningsFor(reported, numClasses) : [];
  if (pickOn === 'all' && best)
    warnings.push(
      'no per-image results (sweeps made before this version): K_test is picked and reported on the same images, which overstates the gain',
    );
  return {
    best: best && {
      key: best.key,
      kTest: best.point.kTest,
      top1: best.point.top1,
      pickedOn: pickOn,
      reportedOn: reportOn,
      reported: reported!,
    },
    atKTrain: base && { top1: base.point.top1, reported: accuracyOn(base, reportOn) },
    gain: best && base ? gainBetween(base, best, reportOn) : null,
    warnings,
  };
}

function toChartPoint(m: MeasuredPoint): ResolutionSeries['points'][number] {
  const p = withStatistics(m);
  return {
    kTest: p.kTest,
    top1: p.top1,
    top5: p.top5,
    loss: p.loss,
    n: p.n,
    ci95: p.ci95!,
    selection: p.selection!,
    heldOut: p.heldOut!,
  };
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
  const latest = listSweeps(db, runId)[0];
  return {
    runId,
    kTrain: configOf(run).kTrain,
    kTestStar: latest ? latest.settings.kTestStar : null,
    bestKTest: bestPlainKTest(db, runId),
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
      adaptNote: s.adaptNote ?? null,
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

/** The run's best K_test as tested (no adaptation), picked on the selection half like the Resolution chart's. */
function bestPlainKTest(db: Db, runId: number): number | null {
  const measured = withImages(
    listRunPoints(db, runId).filter((p) => p.adapter === 'none'),
    listPointImages(db, runId),
  );
  return bestOn(measured, protocolFor(measured).pickOn)?.point.kTest ?? null;
}

export function requireRun(db: Db, runId: number): RunRow {
  const run = getRun(db, runId);
  if (!run) throw missingRow(db, 'run', runId, 'runId');
  return run;
}
