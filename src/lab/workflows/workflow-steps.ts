import { budgetRefusal } from '../../core/budget-refusal';
import { kTestStarMultiple } from '../../core/sweep-plan';
import { userError } from '../../shared/errors';
import { trainEpochs, warmupEpochs } from '../../core/train-plan';
import { ApparentSizeRequest } from '../../shared/api/analysis';
import { RunConfig } from '../../shared/api/runs';
import { WORKFLOW_TRAIN_KEYS, type WorkflowConfig, type WorkflowStepName } from '../../shared/api/workflows';
import { usableImages } from '../../store/images';
import { finetuneSearch } from './workflow-finetune';
import { finetuneLarge, sweepLarge, trainLarge } from './workflow-payoff';
import {
  outputOf,
  runOutcome,
  runToEnd,
  sweepOutput,
  sweepToEnd,
  type PlanOutput,
  type RunOutput,
  type Step,
  type StepContext,
  type StepOutcome,
  type SweepOutput,
  type WorkflowDeps,
} from './workflow-step-kit';
import { suggestKTrain, type ParsedSuggestRequest } from './workflow-suggest';
import { workflowSummary } from './workflow-summary';

export { runSettled, StepStopped, type StepContext, type WorkflowDeps } from './workflow-step-kit';

/** What each step does. Every step can be entered again after a crash: it continues what it attached. */
export const WORKFLOW_STEP_RUNNERS: Record<WorkflowStepName, Step> = {
  async plan(deps, ctx) {
    const c = ctx.config;
    const fromSteps = (epochs: number) => ({ epochs, warmupEpochs: c.warmupEpochs ?? warmupEpochs(epochs) });
    const datasetEpochs = () => c.epochs ?? trainEpochs(usableImages(deps.db, ctx.datasetId, 'train').length, c.batchSize);
    if (c.kTrain) {
      const output: PlanOutput = { kTrain: c.kTrain, ...fromSteps(datasetEpochs()), source: 'given', suggestion: null };
      return { output };
    }
    if (c.modelId !== undefined) {
      const kTrain = deps.models.get(c.modelId).preprocessing.inputSize;
      const output: PlanOutput = { kTrain, ...fromSteps(datasetEpochs()), source: 'model', suggestion: null };
      return { output };
    }
    const request = suggestRequestOf(ctx.datasetId, c);
    const suggestion = ctx.planned ?? (await suggestKTrain(deps, request, ctx.signal));
    // A workflow stored before starting checked its budget (or resumed at its plan step) is refused here.
    const refusal = budgetRefusal(suggestion, { epochs: c.epochs });
    if (refusal) throw userError(refusal, 'budgetMinutes');
    const output: PlanOutput = { kTrain: suggestion.kTrain, ...fromSteps(suggestion.epochs), source: 'suggested', suggestion };
    return { output, ...(ctx.planned ? { earlierSeconds: ctx.planned.planSeconds ?? 0 } : {}) };
  },

  async train(deps, ctx) {
    const plan = outputOf<PlanOutput>(ctx, 'plan');
    const { kTrain } = plan;
    const c = ctx.config;
    if (c.modelId !== undefined) {
      const modelId = c.modelId;
      const name = `${ctx.name}: ${deps.models.get(modelId).name} at ${kTrain}`;
      const { batchSize, lr, seed, backend } = c;
      const epochs = plan.epochs ?? c.epochs;
      const run = await runToEnd(deps, ctx, () =>
        deps.models.use({
          modelId,
          datasetId: ctx.datasetId,
          name,
          kTrain,
          ...(epochs ? { epochs } : {}),
          batchSize,
          lr,
          seed,
          ...(backend ? { backend } : {}),
        }),
      );
      return runOutcome(run);
    }
    const run = await runToEnd(deps, ctx, () =>
      deps.runs.start(
        RunConfig.parse({
          ...Object.fromEntries(WORKFLOW_TRAIN_KEYS.map((key) => [key, c[key]])),
          // Workflows stored before the plan picked epochs have none in their plan: their config has them.
          ...(plan.epochs ? { epochs: plan.epochs, warmupEpochs: plan.warmupEpochs ?? 0 } : {}),
          datasetId: ctx.datasetId,
          name: `${ctx.name}: train at ${kTrain}`,
          kTrain,
          kTest: kTrain,
        }),
      ),
    );
    return runOutcome(run);
  },

  async analyze(deps, ctx) {
    const { runId } = outputOf<RunOutput>(ctx, 'train');
    const cfg = deps.runs.get(runId).config;
    const multiple = kTestStarMultiple(deps.sweeps.plan(runId).step);
    const result = deps.analysis.apparentSize(
      ApparentSizeRequest.parse({
        kTrain: cfg.kTrain,
        cropPct: cfg.cropPct,
        scale: cfg.scale,
        ratio: cfg.ratio,
        source: { kind: 'dataset', datasetId: ctx.datasetId, split: 'train' },
        multiple,
      }),
    );
    return {
      output: {
        kTrain: cfg.kTrain,
        closedFormAlpha: result.closedForm.alpha,
        monteCarloAlpha: result.monteCarlo.alpha,
        meanTrainOverTest: result.monteCarlo.meanTrainOverTest,
        fallbackRate: result.monteCarlo.fallbackRate,
        kTestStar: result.kTestSizesMatch,
        kTestStarExact: result.monteCarlo.kTestStar,
        multiple,
        images: result.sizes.images,
      },
    };
  },

  sweep: (deps, ctx) => sweepStep(deps, ctx, outputOf<RunOutput>(ctx, 'train').runId, 'none'),

  async adapt(deps, ctx) {
    if (!ctx.config.adapt) return { output: { skipped: true } };
    return sweepStep(deps, ctx, outputOf<RunOutput>(ctx, 'train').runId, 'frechet');
  },

  finetune: finetuneSearch,

  'sweep-finetuned': (deps, ctx) => sweepStep(deps, ctx, outputOf<RunOutput>(ctx, 'finetune').runId, 'none'),

  'train-large': trainLarge,
  'sweep-large': sweepLarge,
  'finetune-large': finetuneLarge,

  summary: async (deps, ctx) => ({ output: workflowSummary(deps.db, ctx.workflowId) }),
};

/** A sweep of the step's run over the workflow's K_test list (the first sweep's grid after it), continuing an attached one. */
async function sweepStep(deps: WorkflowDeps, ctx: StepContext, runId: number, adapter: 'none' | 'frechet'): Promise<StepOutcome> {
  const previous = ctx.outputs.sweep as SweepOutput | undefined;
  const kTests = ctx.config.kTests ?? previous?.kTests;
  const sweep = await sweepToEnd(deps, ctx, { runId, adapter, ...(kTests ? { kTests } : {}) }, ctx.row.sweep_id);
  return { output: sweepOutput(deps, sweep, adapter), peakRssMb: sweep.peakRssMb, imgPerSec: sweep.imgPerSec };
}

/** The suggestion a workflow's plan asks for: its budget, model and the work its options add. */
export function suggestRequestOf(datasetId: number, c: WorkflowConfig): ParsedSuggestRequest {
  return {
    datasetId,
    budgetMinutes: c.budgetMinutes,
    arch: c.arch,
    width: c.width,
    ...(c.epochs ? { epochs: c.epochs } : {}),
    batchSize: c.batchSize,
    cropPct: c.cropPct,
    ...(c.finetune.epochs ? { finetuneEpochs: c.finetune.epochs } : {}),
    finetuneCandidates: c.finetune.candidates,
    finetuneMode: c.finetune.mode,
    adapt: c.adapt,
    payoff: c.payoff,
  };
}
