import { bestKTest } from '../../core/ktest';
import { kTestStarMultiple } from '../../core/sweep-plan';
import { ApparentSizeRequest } from '../../shared/api/analysis';
import { RunConfig, type Run } from '../../shared/api/runs';
import { SweepRequest, type Sweep } from '../../shared/api/sweeps';
import { WORKFLOW_TRAIN_KEYS, type WorkflowConfig, type WorkflowStepName } from '../../shared/api/workflows';
import type { Db } from '../../store/db';
import { listRunPoints } from '../../store/sweeps';
import type { WorkflowStepRow } from '../../store/workflows';
import type { StepOutputOf } from '../../store/documents';
import type { AnalysisService } from '../datasets/analysis';
import type { EngineHost } from '../engine/engine-host';
import type { LabEvents } from '../events';
import { startFinetune } from '../runs/finetune-config';
import type { JobQueue } from '../engine/job-queue';
import type { RunService } from '../runs/runs';
import type { SweepService } from '../sweeps/sweeps';
import type { ModelService } from '../models/models';
import { suggestKTrain } from './workflow-suggest';
import { workflowSummary } from './workflow-summary';

export interface WorkflowDeps {
  db: Db;
  events: LabEvents;
  runs: RunService;
  /** Imported models, for a workflow that starts from one. */
  models: Pick<ModelService, 'get' | 'use'>;
  sweeps: SweepService;
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
  outputs: Partial<Record<WorkflowStepName, unknown>>;
  /** Records the run or sweep this step works on, before waiting for it. */
  attach(a: { runId?: number; sweepId?: number }): void;
  signal: AbortSignal;
}

export interface StepOutcome {
  output: unknown;
  peakRssMb?: number | null;
  imgPerSec?: number | null;
}

/** Why a step stopped short of completing: the status its run or sweep ended with. */
export class StepStopped extends Error {
  constructor(
    readonly status: 'cancelled' | 'interrupted' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'StepStopped';
  }
}

/** Step outputs, as stored (one definition: the store's versioned schemas). */
export type PlanOutput = StepOutputOf<'plan'>;
export type RunOutput = StepOutputOf<'train'>;
export type SweepOutput = StepOutputOf<'sweep'>;

type Step = (deps: WorkflowDeps, ctx: StepContext) => Promise<StepOutcome>;

const outputOf = <T>(ctx: StepContext, step: WorkflowStepName): T => ctx.outputs[step] as T;

/** What each step does. Every step can be entered again after a crash: it continues what it attached. */
export const WORKFLOW_STEP_RUNNERS: Record<WorkflowStepName, Step> = {
  async plan(deps, ctx) {
    const c = ctx.config;
    if (c.kTrain) return { output: { kTrain: c.kTrain, source: 'given', suggestion: null } satisfies PlanOutput };
    if (c.modelId !== undefined) {
      const kTrain = deps.models.get(c.modelId).preprocessing.inputSize;
      return { output: { kTrain, source: 'model', suggestion: null } satisfies PlanOutput };
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
    return { output: { kTrain: suggestion.kTrain, source: 'suggested', suggestion } satisfies PlanOutput };
  },

  async train(deps, ctx) {
    const { kTrain } = outputOf<PlanOutput>(ctx, 'plan');
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
        kTestStar: result.recommendedKTest,
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

  async finetune(deps, ctx) {
    const parent = outputOf<RunOutput>(ctx, 'train');
    const best = outputOf<SweepOutput>(ctx, 'sweep').best;
    const kTest = best?.kTest ?? parent.kTrain;
    const f = ctx.config.finetune;
    const run = await runToEnd(deps, ctx, () =>
      startFinetune(deps.runs, {
        parentRunId: parent.runId,
        kTest,
        mode: f.mode,
        augment: f.augment,
        epochs: f.epochs,
        ...(f.lr ? { lr: f.lr } : {}),
        name: `${ctx.name}: fine-tune at ${kTest}`,
      }),
    );
    return runOutcome(run);
  },

  'sweep-finetuned': (deps, ctx) => sweepStep(deps, ctx, outputOf<RunOutput>(ctx, 'finetune').runId, 'none'),

  summary: async (deps, ctx) => ({ output: workflowSummary(deps.db, ctx.workflowId) }),
};

function runOutcome(run: Run): StepOutcome {
  return {
    output: { runId: run.id, kTrain: run.config.kTrain, lastAcc: run.lastAcc } satisfies RunOutput,
    peakRssMb: run.peakRssMb,
    imgPerSec: run.imgPerSec,
  };
}

/** Starts the step's run (or continues the one an earlier attempt attached) and waits for its end. */
async function runToEnd(deps: WorkflowDeps, ctx: StepContext, start: () => Run): Promise<Run> {
  const attached = ctx.row.run_id === null ? null : deps.runs.list().find((r) => r.id === ctx.row.run_id);
  let run: Run;
  if (attached?.status === 'completed') return attached;
  if (attached && !['queued', 'running'].includes(attached.status)) run = deps.runs.resume(attached.id);
  else if (attached) run = attached;
  else {
    run = start();
    ctx.attach({ runId: run.id });
  }
  const ended = await runSettled(deps, run.id);
  if (ended.status !== 'completed') throw new StepStopped(ended.status as StepStopped['status'], runStopMessage(ended));
  return ended;
}

function runStopMessage(run: Run): string {
  return `Run #${run.id} ${run.status}${run.error ? `: ${run.error}` : ''}`;
}

const RUN_ENDS = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

/**
 * Settles with a run once it has ended: the run service emits `run.updated` with a final status
 * once per session, as the last thing it does for it.
 */
export function runSettled(deps: Pick<WorkflowDeps, 'events' | 'runs'>, runId: number): Promise<Run> {
  return new Promise((resolve) => {
    const off = deps.events.subscribe((event, payload) => {
      const run = payload as Run;
      if (event === 'run.updated' && run.id === runId && RUN_ENDS.has(run.status)) {
        off();
        resolve(run);
      }
    });
    const now = deps.runs.get(runId);
    if (RUN_ENDS.has(now.status)) {
      off();
      resolve(now);
    }
  });
}

async function sweepStep(deps: WorkflowDeps, ctx: StepContext, runId: number, adapter: 'none' | 'frechet'): Promise<StepOutcome> {
  const previous = ctx.outputs.sweep as SweepOutput | undefined;
  const kTests = ctx.config.kTests ?? previous?.kTests;
  let sweep: Sweep | null =
    ctx.row.sweep_id === null ? null : (deps.sweeps.list(runId).find((s) => s.id === ctx.row.sweep_id) ?? null);
  if (sweep && sweep.status !== 'completed' && sweep.status !== 'queued' && sweep.status !== 'running')
    sweep = deps.sweeps.resume(sweep.id);
  else if (!sweep) {
    sweep = deps.sweeps.start(SweepRequest.parse({ runId, adapter, ...(kTests ? { kTests } : {}) }));
    ctx.attach({ sweepId: sweep.id, runId });
  }
  const ended = await deps.sweeps.settled(sweep.id);
  if (ended.status !== 'completed') {
    throw new StepStopped(
      ended.status as StepStopped['status'],
      `Sweep #${ended.id} ${ended.status}${ended.error ? `: ${ended.error}` : ''}`,
    );
  }
  const points = listRunPoints(deps.db, runId).filter((p) => p.adapter === adapter);
  const kTrain = deps.runs.get(runId).config.kTrain;
  const atKTrain = points.find((p) => p.kTest === kTrain);
  const best = bestKTest(points);
  const output: SweepOutput = {
    sweepId: ended.id,
    runId,
    kTests: ended.settings.kTests,
    best: best ? { kTest: best.kTest, top1: best.top1 } : null,
    atKTrain: atKTrain ? { kTest: kTrain, top1: atKTrain.top1 } : null,
  };
  return { output, peakRssMb: ended.peakRssMb, imgPerSec: ended.imgPerSec };
}
