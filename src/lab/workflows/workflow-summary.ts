import { bestKTest } from '../../core/ktest';
import type { SweepPoint } from '../../shared/api/sweeps';
import type { WorkflowStepName, WorkflowSummary } from '../../shared/api/workflows';
import type { Db } from '../../store/db';
import { getRun } from '../../store/runs';
import { listRunPoints } from '../../store/sweeps';
import { listWorkflowSteps } from '../../store/workflows';
import type { StepOutputOf } from '../../store/documents';

type Score = { kTest: number; top1: number };
const score = (p: SweepPoint | null | undefined): Score | null => (p ? { kTest: p.kTest, top1: p.top1 } : null);

/**
 * What a workflow found, read back from its stored runs and sweep points: accuracy at K_train,
 * the best K_test without and with each fix, the gain over testing at K_train, and the time,
 * peak memory and speed of every phase.
 */
export function workflowSummary(db: Db, workflowId: number): WorkflowSummary {
  const steps = listWorkflowSteps(db, workflowId);
  const runOf = (step: WorkflowStepName) => steps.find((s) => s.step === step)?.run_id ?? null;
  const trainRunId = runOf('train');
  if (trainRunId === null) throw new Error(`Workflow ${workflowId} has no trained run to summarise`);
  const finetuneRunId = runOf('finetune');
  const kTrainOf = (id: number) => {
    const run = getRun(db, id);
    if (!run) throw new Error(`Run #${id} of workflow ${workflowId} was deleted, so the workflow cannot be summarised`);
    return run.config.kTrain;
  };
  const kTrain = kTrainOf(trainRunId);
  const points = listRunPoints(db, trainRunId);
  const baseline = points.filter((p) => p.adapter === 'none');
  const frechet = points.filter((p) => p.adapter === 'frechet');
  const child = finetuneRunId === null ? [] : listRunPoints(db, finetuneRunId).filter((p) => p.adapter === 'none');
  const atKTrain = score(baseline.find((p) => p.kTest === kTrain));
  const finetuneK = finetuneRunId === null ? null : kTrainOf(finetuneRunId);
  const candidates = [
    ...baseline.map((p) => ({ ...p, series: 'baseline' as const })),
    ...frechet.map((p) => ({ ...p, series: 'frechet' as const })),
    ...child.map((p) => ({ ...p, series: 'finetuned' as const })),
  ];
  const best = bestKTest(candidates);
  const analyze = steps.find((s) => s.step === 'analyze')?.output as StepOutputOf<'analyze'> | null | undefined;
  const phases = steps
    .filter((s) => s.status === 'completed' || s.wall_seconds > 0)
    .map((s) => ({
      step: s.step,
      seconds: s.wall_seconds,
      peakRssMb: s.peak_rss_mb,
      imgPerSec: s.img_per_sec,
    }));
  return {
    kTrain,
    kTestStar: analyze ? analyze.kTestStar : null,
    trainRunId,
    finetuneRunId,
    atKTrain,
    bestTested: score(bestKTest(baseline)),
    frechet: score(bestKTest(frechet)),
    finetuned: score(child.find((p) => p.kTest === finetuneK)),
    finetunedBest: score(bestKTest(child)),
    best: best ? { kTest: best.kTest, top1: best.top1, series: best.series } : null,
    gain: best && atKTrain ? best.top1 - atKTrain.top1 : null,
    phases,
    totalSeconds: phases.reduce((s, p) => s + p.seconds, 0),
  };
}
