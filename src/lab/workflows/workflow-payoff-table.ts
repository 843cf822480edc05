import type { ImageSet } from '../../shared/api/sweeps';
import type { Payoff, PayoffRow } from '../../shared/api/workflows';
import type { Db } from '../../store/db';
import { getRun, type RunRow } from '../../store/runs';
import type { WorkflowStepRow } from '../../store/workflows';
import { accuracyOn, bestOn, gainBetween, protocolFor, type MeasuredPoint } from '../sweeps';
import { completedOutput, measuredSeries } from './workflow-step-kit';

/**
 * The payoff table of a workflow that ran the experiment: the small run at K_train and at its
 * best K_test, the small run fine-tuned and tested at K_large, and the large run at K_large and
 * at its best — each with its top-1 on the reporting images, training time, memory and speed —
 * and McNemar's test of "small + fine-tune at K_large" against "large at K_large". Null otherwise.
 */
export function payoffTable(
  db: Db,
  steps: readonly WorkflowStepRow[],
  at: { trainRunId: number; reportOn: ImageSet },
): Payoff | null {
  const large = completedOutput(steps, 'train-large');
  const tuned = completedOutput(steps, 'finetune-large');
  if (!large || !tuned) return null;
  const runs = { small: getRun(db, at.trainRunId), large: getRun(db, large.runId), tuned: getRun(db, tuned.runId) };
  if (!runs.small || !runs.large || !runs.tuned) return null;
  const kSmall = configOf(runs.small).kTrain;
  const small = measuredSeries(db, runs.small.id, 'none');
  const big = measuredSeries(db, runs.large.id, 'none');
  const tunedAtLarge = measuredSeries(db, runs.tuned.id, 'none').find((m) => m.point.kTest === tuned.kLarge) ?? null;
  const pickOn = protocolFor([...small, ...big]).pickOn;
  const points = {
    smallAtSmall: small.find((m) => m.point.kTest === kSmall) ?? null,
    smallBest: bestOn(small, pickOn),
    largeAtLarge: big.find((m) => m.point.kTest === tuned.kLarge) ?? null,
    largeBest: bestOn(big, pickOn),
  };
  const row = (label: string, m: MeasuredPoint | null, cost: RunRow[]): PayoffRow[] => {
    const reported = m && accuracyOn(m, at.reportOn);
    if (!m || !reported) return [];
    const trainRun = cost[0]!;
    return [
      {
        label,
        runId: m.point.runId,
        kTrain: configOf(trainRun).kTrain,
        kTest: m.point.kTest,
        reported,
        trainSeconds: cost.reduce((s, r) => s + r.wall_seconds, 0),
        peakRssMb: Math.max(0, ...cost.map((r) => r.peak_rss_mb ?? 0)) || null,
        trainImgPerSec: trainRun.img_per_sec,
      },
    ];
  };
  const kLarge = tuned.kLarge;
  return {
    kSmall,
    kLarge,
    rows: [
      ...row(`trained at ${kSmall}, tested at ${kSmall}`, points.smallAtSmall, [runs.small]),
      ...row(`trained at ${kSmall}, tested at its best K_test`, points.smallBest, [runs.small]),
      ...row(`trained at ${kSmall}, fine-tuned and tested at ${kLarge}`, tunedAtLarge, [runs.small, runs.tuned]),
      ...row(`trained at ${kLarge}, tested at ${kLarge}`, points.largeAtLarge, [runs.large]),
      ...row(`trained at ${kLarge}, tested at its best K_test`, points.largeBest, [runs.large]),
    ],
    smallFinetunedVsLarge:
      points.largeAtLarge && tunedAtLarge ? gainBetween(points.largeAtLarge, tunedAtLarge, at.reportOn) : null,
    smallTestedVsLarge:
      points.largeAtLarge && points.smallBest ? gainBetween(points.largeAtLarge, points.smallBest, at.reportOn) : null,
  };
}

const configOf = (run: RunRow) => run.config;
