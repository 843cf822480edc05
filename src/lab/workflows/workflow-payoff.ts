import { PAYOFF_SCALE } from '../../core/k-train-choice';
import { RunConfig } from '../../shared/api/runs';
import { WORKFLOW_TRAIN_KEYS } from '../../shared/api/workflows';
import { finetuneAt } from './workflow-finetune';
import {
  outputOf,
  runOutcome,
  runToEnd,
  sweepOutput,
  sweepToEnd,
  type PlanOutput,
  type RanOutput,
  type RunOutput,
  type Step,
  type StepContext,
  type SweepOutput,
} from './workflow-step-kit';

/** The payoff experiment's steps (paper §5: train at 128 and test at 224 matches training at 224, for less). */
export type PayoffOutput = RanOutput<'finetune-large'>;

const skipped = { output: { skipped: true } };

/** The large K_train: as asked, else 1.75 × K_train (the paper's 224/128) on the sweep's grid, or to a multiple of 4. */
export function largeK(ctx: StepContext): number {
  if (ctx.config.kLarge) return ctx.config.kLarge;
  const target = PAYOFF_SCALE * outputOf<PlanOutput>(ctx, 'plan').kTrain;
  const grid = outputOf<SweepOutput>(ctx, 'sweep').kTests;
  const nearest = grid.reduce((a, b) => (Math.abs(b - target) < Math.abs(a - target) ? b : a), grid[0] ?? 0);
  return Math.abs(nearest - target) <= 0.1 * target ? nearest : 4 * Math.round(target / 4);
}

/** Train at the large K with the same hyperparameters (epochs and warm-up as the plan decided). */
export const trainLarge: Step = async (deps, ctx) => {
  if (!ctx.config.payoff) return skipped;
  const plan = outputOf<PlanOutput>(ctx, 'plan');
  const kLarge = largeK(ctx);
  const c = ctx.config;
  const run = await runToEnd(deps, ctx, () =>
    deps.runs.start(
      RunConfig.parse({
        ...Object.fromEntries(WORKFLOW_TRAIN_KEYS.map((key) => [key, c[key]])),
        ...(plan.epochs ? { epochs: plan.epochs, warmupEpochs: plan.warmupEpochs ?? 0 } : {}),
        datasetId: ctx.datasetId,
        name: `${ctx.name}: train large at ${kLarge}`,
        kTrain: kLarge,
        kTest: kLarge,
      }),
    ),
  );
  return runOutcome(run);
};

/** Test the large run at every K_test of the small run's sweep, so both curves share their sizes. */
export const sweepLarge: Step = async (deps, ctx) => {
  if (!ctx.config.payoff) return skipped;
  const { runId } = outputOf<RunOutput>(ctx, 'train-large');
  const kTests = [...new Set([...outputOf<SweepOutput>(ctx, 'sweep').kTests, largeK(ctx)])];
  const sweep = await sweepToEnd(deps, ctx, { runId, adapter: 'none', kTests }, ctx.row.sweep_id);
  return { output: sweepOutput(deps, sweep, 'none'), peakRssMb: sweep.peakRssMb, imgPerSec: sweep.imgPerSec };
};

/** Fine-tune the small run at the large K and test it there (the fine-tune search may have made it already). */
export const finetuneLarge: Step = async (deps, ctx) => {
  if (!ctx.config.payoff) return skipped;
  const kLarge = largeK(ctx);
  const small = outputOf<RunOutput>(ctx, 'train');
  const run = await finetuneAt(deps, ctx, small.runId, kLarge);
  await sweepToEnd(deps, ctx, { runId: run.id, adapter: 'none', kTests: [kLarge] });
  const output: PayoffOutput = { kLarge, runId: run.id };
  return { output, peakRssMb: run.peakRssMb, imgPerSec: run.imgPerSec };
};
