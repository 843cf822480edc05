import type { ImageSet } from '../../shared/api/sweeps';
import type { WorkflowStepName, WorkflowSummary } from '../../shared/api/workflows';
import type { Db } from '../../store/db';
import { classCounts } from '../../store/datasets';
import { getRun } from '../../store/runs';
import { listWorkflowSteps } from '../../store/workflows';
import { accuracyOn, bestOn, gainBetween, protocolFor, warningsFor, type MeasuredPoint } from '../sweeps';
import { payoffTable } from './workflow-payoff-table';
import { completedOutput, measuredSeries } from './workflow-step-kit';

type Score = NonNullable<WorkflowSummary['atKTrain']>;

/**
 * What a workflow found, read back from its stored runs and sweep points: every K_test (untuned,
 * Fréchet, fine-tuned) is picked on the selection half of the validation images and every number
 * is reported on the held-out half, with its Wilson interval; every gain carries McNemar's exact
 * test. Points without per-image results (older sweeps) are picked and reported on all images,
 * and the summary says so.
 */
export function workflowSummary(db: Db, workflowId: number): WorkflowSummary {
  const steps = listWorkflowSteps(db, workflowId);
  const stepOf = (step: WorkflowStepName) => steps.find((s) => s.step === step);
  const trainRunId = stepOf('train')?.run_id ?? null;
  if (trainRunId === null) throw new Error(`Workflow ${workflowId} has no trained run to summarise`);
  const config = (id: number) => {
    const run = getRun(db, id);
    if (!run) throw new Error(`Run #${id} of workflow ${workflowId} was deleted, so the workflow cannot be summarised`);
    return run.config;
  };
  const kTrain = config(trainRunId).kTrain;
  const finetuneOutput = completedOutput(steps, 'finetune');
  const finetuneRunId = finetuneOutput?.runId ?? stepOf('finetune')?.run_id ?? null;

  const baseline = measuredSeries(db, trainRunId, 'none');
  const frechet = measuredSeries(db, trainRunId, 'frechet');
  const candidates = (
    finetuneOutput?.candidates ?? (finetuneRunId ? [{ runId: finetuneRunId, kTest: config(finetuneRunId).kTrain }] : [])
  )
    .map((c) => measuredSeries(db, c.runId, 'none').find((m) => m.point.kTest === c.kTest))
    .filter((m): m is MeasuredPoint => m !== undefined);
  const child = finetuneRunId === null ? [] : measuredSeries(db, finetuneRunId, 'none');
  const { pickOn, reportOn } = protocolFor([...baseline, ...frechet, ...candidates, ...child]);
  const score = (m: MeasuredPoint | null | undefined): Score | null => {
    if (!m) return null;
    const reported = accuracyOn(m, reportOn)!;
    return { kTest: m.point.kTest, top1: reported.top1, runId: m.point.runId, reported, selection: accuracyOn(m, 'selection') };
  };

  const atKTrain = baseline.find((m) => m.point.kTest === kTrain) ?? null;
  const bestTested = bestOn(baseline, pickOn);
  const bestFrechet = bestOn(frechet, pickOn);
  const finetuned = bestOn(candidates, pickOn);
  const untunedAt = (k: number) => baseline.find((m) => m.point.kTest === k) ?? null;
  const series = [
    { m: bestTested, series: 'baseline' as const },
    { m: bestFrechet, series: 'frechet' as const },
    { m: finetuned, series: 'finetuned' as const },
  ].filter((s): s is { m: MeasuredPoint; series: 'baseline' | 'frechet' | 'finetuned' } => s.m !== null);
  const best = bestOn(
    series.map((s) => ({ ...s.m, series: s.series })),
    pickOn,
  );
  const gain = (a: MeasuredPoint | null, b: MeasuredPoint | null) => (a && b ? gainBetween(a, b, reportOn) : null);
  const reportedN = atKTrain ? accuracyOn(atKTrain, reportOn)!.n : 0;
  const bestScore = score(best);
  return {
    kTrain,
    kTestStar: completedOutput(steps, 'analyze')?.kTestStar ?? null,
    trainRunId,
    finetuneRunId,
    images: {
      pickedOn: pickOn,
      reportedOn: reportOn,
      picked: pickOn === 'all' ? reportedN : (accuracyOn(atKTrain!, pickOn)?.n ?? 0),
      reported: reportedN,
    },
    atKTrain: score(atKTrain),
    bestTested: score(bestTested),
    frechet: score(bestFrechet),
    finetuned: score(finetuned),
    finetunedBest: score(bestOn(child, pickOn)),
    finetuneCandidates: candidates.map((m) => score(m)!),
    best: bestScore && best ? { ...bestScore, series: best.series } : null,
    gain: bestScore && atKTrain ? bestScore.top1 - score(atKTrain)!.top1 : null,
    gains: {
      testLarger: gain(atKTrain, bestTested),
      frechet: bestFrechet ? gain(untunedAt(bestFrechet.point.kTest), bestFrechet) : null,
      finetune: finetuned ? gain(untunedAt(finetuned.point.kTest), finetuned) : null,
      total: gain(atKTrain, best),
    },
    payoff: payoffTable(db, steps, { trainRunId, reportOn }),
    warnings: summaryWarnings(db, trainRunId, bestScore, pickOn),
    ...phasesOf(steps),
  };
}

function summaryWarnings(db: Db, trainRunId: number, best: Score | null, pickOn: ImageSet): string[] {
  const datasetId = getRun(db, trainRunId)?.dataset_id ?? null;
  const classes = datasetId === null ? 0 : classCounts(db, datasetId).length;
  const warnings = best?.reported ? warningsFor(best.reported, classes) : [];
  if (pickOn === 'all')
    warnings.push(
      'these sweeps kept no per-image results: K_test was picked on the images it is reported on, which overstates the gain',
    );
  return warnings;
}

function phasesOf(steps: ReturnType<typeof listWorkflowSteps>): Pick<WorkflowSummary, 'phases' | 'totalSeconds'> {
  const phases = steps
    .filter((s) => s.status === 'completed' || s.wall_seconds > 0)
    .map((s) => ({
      step: s.step,
      seconds: s.wall_seconds,
      peakRssMb: s.peak_rss_mb,
      imgPerSec: s.img_per_sec,
    }));
  return { phases, totalSeconds: phases.reduce((s, p) => s + p.seconds, 0) };
}
