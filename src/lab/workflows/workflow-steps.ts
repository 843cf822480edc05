import { kTestStarMultiple } from '../../core/sweep-plan';
import { ApparentSizeRequest } from '../../shared/api/analysis';
import { RunConfig } from '../../shared/api/runs';
import {
  WORKFLOW_TRAIN_KEYS,
  type WorkflowConfig,
  type WorkflowStepName,
  type WorkflowStepOutputs,
} from '../../shared/api/workflows';
import type { Db } from '../../store/db';
import type { WorkflowStepRow } from '../../store/workflows';
import type { AnalysisService } from '../datasets';
import type { EngineHost } from '../engine';
import type { LabEvents } from '../events';
import type { FinetuneService } from '../finetunes';
import type { RunService } from '../runs';
import type { JobQueue } from '../jobs';
import type { ModelService } from '../models';
import type { SweepService } from '../sweeps';
import { runOutcome, runToEnd, sweepStep } from './step-jobs';
import { suggestKTrain } from './workflow-suggest';
import { workflowSummary } from './workflow-summary';

export interface WorkflowDeps {
  db: Db;
  events: LabEvents;
  runs: RunService;
  /** Imported models, for a workflow that starts from one. */
  models: Pick<ModelService, 'get' | 'use'>;
  sweeps: SweepService;
  finetunes: FinetuneService;
  analysis: AnalysisService;
  engine: EngineHost;
  queue: JobQueue;
}

export interface StepContext {
  workflowId: number;
  name: string;
  datasetId: number;
  config: WorkflowConfig;
  /** This step's row: what an earlier attempt attached (run, sweep). */
  row: WorkflowStepRow;
  /** Outputs of the completed steps. */
  outputs: Partial<WorkflowStepOutputs>;
  /** Records the run or sweep this step works on, before waiting for it. */
  attach(a: { runId?: number; sweepId?: number }): void;
  signal: AbortSignal;
}

/** What a completed step stores: its output, and what its run or sweep cost. */
export interface StepOutcome<Output = WorkflowStepOutputs[WorkflowStepName]> {
  output: Output;
  peakRssMb?: number | null;
  imgPerSec?: number | null;
}

/** The output of an earlier step (the order of WORKFLOW_STEPS guarantees it completed). */
function outputOf<K extends WorkflowStepName>(ctx: StepContext, step: K): WorkflowStepOutputs[K] {
  const output = ctx.outputs[step];
  if (output === undefined) throw new Error(`The ${step} step has no output to continue from`);
  return output;
}

/** What each step does. Every step can be entered again after a crash: it continues what it attached. */
export const WORKFLOW_STEP_RUNNERS: {
  [K in WorkflowStepName]: (deps: WorkflowDeps, ctx: StepContext) => Promise<StepOutcome<WorkflowStepOutputs[K]>>;
} = {
  async plan(deps, ctx) {
    const c = ctx.config;
    if (c.kTrain) return { output: { kTrain: c.kTrain, source: 'given', suggestion: null } };
    if (c.modelId !== undefined) {
      const kTrain = deps.models.get(c.modelId).preprocessing.inputSize;
      return { output: { kTrain, source: 'model', suggestion: null } };
    }
    const request = {
      datasetId: ctx.datasetId,
      budgetMinutes: c.budgetMinutes,
      arch: c.arch,
      width: c.width,
      epochs: c.epochs,
      batchSize: c.batchSize,
      cropPct: c.cropPct,
      finetuneEpochs: c.finetune.epochs,
    };
    const suggestion = await suggestKTrain(deps, request, ctx.signal);
    return { output: { kTrain: suggestion.kTrain, source: 'suggested', suggestion } };
  },

  async train(deps, ctx) {
    const { kTrain } = outputOf(ctx, 'plan');
    const c = ctx.config;
    if (c.modelId !== undefined) {
      const modelId = c.modelId;
      const name = `${ctx.name}: ${deps.models.get(modelId).name} at ${kTrain}`;
      const { epochs, batchSize, lr, seed, backend } = c;
      const run = await runToEnd(deps, ctx, () =>
        deps.models.use({
          modelId,
          datasetId: ctx.datasetId,
          name,
          kTrain,
          epochs,
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
    const { runId } = outputOf(ctx, 'train');
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
        kTestStar: result.recommendedKTest,
        kTestStarExact: result.monteCarlo.kTestStar,
        multiple,
        images: result.sizes.images,
      },
    };
  },

  sweep: (deps, ctx) => sweepStep(deps, ctx, outputOf(ctx, 'train').runId, 'none'),

  async adapt(deps, ctx) {
    if (!ctx.config.adapt) return { output: { skipped: true } };
    return sweepStep(deps, ctx, outputOf(ctx, 'train').runId, 'frechet');
  },

  async finetune(deps, ctx) {
    const parent = outputOf(ctx, 'train');
    const best = outputOf(ctx, 'sweep').best;
    const kTest = best?.kTest ?? parent.kTrain;
    const f = ctx.config.finetune;
    // The child's sweep is queued behind it now; the next step waits for it.
    const sweepAfter = { kTests: ctx.config.kTests ?? outputOf(ctx, 'sweep').kTests };
    const run = await runToEnd(
      deps,
      ctx,
      () =>
        deps.finetunes.start({
          parentRunId: parent.runId,
          kTest,
          mode: f.mode,
          augment: f.augment,
          epochs: f.epochs,
          ...(f.lr ? { lr: f.lr } : {}),
          name: `${ctx.name}: fine-tune at ${kTest}`,
          sweepAfter,
        }).run,
    );
    return runOutcome(run);
  },

  'sweep-finetuned': (deps, ctx) => sweepStep(deps, ctx, outputOf(ctx, 'finetune').runId, 'none', { adoptLatest: true }),

  summary: async (deps, ctx) => ({ output: workflowSummary(deps.db, ctx.workflowId) }),
};
