import type { Run } from '../../shared/api/runs';
import { SweepRequest, type Sweep } from '../../shared/api/sweeps';
import type { KTrainSuggestion, WorkflowConfig, WorkflowStepName } from '../../shared/api/workflows';
import type { Db } from '../../store/db';
import type { StepOutputOf } from '../../store/documents';
import { listPointImages } from '../../store/point-images';
import { listRunPoints } from '../../store/sweeps';
import type { WorkflowStepRow } from '../../store/workflows';
import type { AnalysisService } from '../datasets';
import type { EngineHost } from '../engine';
import type { FinetuneService } from '../finetunes';
import type { JobFailure, JobQueue } from '../jobs';
import type { LabEvents } from '../events';
import type { ModelService } from '../models';
import type { RunService } from '../runs';
import { accuracyOn, bestOn, protocolFor, withImages, type MeasuredPoint } from '../sweeps';
import type { SweepService } from '../sweeps';

export interface WorkflowDeps {
  db: Db;
  events: LabEvents;
  runs: RunService;
  /** Fine-tunes (the lab's; the workflow's fine-tune search starts its runs through RunService). */
  finetunes: FinetuneService;
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
  /** The plan that starting the workflow already made (to check its budget), for the plan step to keep. */
  planned?: KTrainSuggestion;
}

export interface StepOutcome {
  output: unknown;
  /** Seconds the step's work took before the step began (the plan made when the workflow started). */
  earlierSeconds?: number;
  peakRssMb?: number | null;
  imgPerSec?: number | null;
}

export type Step = (deps: WorkflowDeps, ctx: StepContext) => Promise<StepOutcome>;

/** Why a step stopped short of completing: the status its run or sweep ended with. */
export class StepStopped extends Error {
  constructor(
    readonly status: JobFailure['status'],
    message: string,
  ) {
    super(message);
    this.name = 'StepStopped';
  }

  /** How the step ends: as its run or sweep did, with the reason unless it was cancelled. */
  get failure(): JobFailure {
    return { status: this.status, error: this.status === 'cancelled' ? null : this.message };
  }
}

/** Step outputs, as stored (one definition: the store's versioned schemas). */
export type PlanOutput = StepOutputOf<'plan'>;
export type RunOutput = StepOutputOf<'train'>;
/** A sweep step's result; `best` is picked on the selection half when the points have per-image results. */
export type SweepOutput = StepOutputOf<'sweep'>;

/** What a step stored when it ran (not skipped), or null. */
export type RanOutput<S extends WorkflowStepName> = Exclude<StepOutputOf<S>, { skipped: true }>;

/** The output of a completed step of a workflow, or null when it has none or was skipped. */
export function completedOutput<S extends WorkflowStepName>(steps: readonly WorkflowStepRow[], step: S): RanOutput<S> | null {
  const value = steps.find((s) => s.step === step && s.status === 'completed')?.output as StepOutputOf<S> | null | undefined;
  return value && !('skipped' in value) ? (value as RanOutput<S>) : null;
}

export const outputOf = <T>(ctx: StepContext, step: WorkflowStepName): T => ctx.outputs[step] as T;

export function runOutcome(run: Run): StepOutcome {
  return {
    output: { runId: run.id, kTrain: run.config.kTrain, lastAcc: run.lastAcc } satisfies RunOutput,
    peakRssMb: run.peakRssMb,
    imgPerSec: run.imgPerSec,
  };
}

/**
 * Starts the step's run and waits for its end; continues instead the run an earlier attempt
 * made: `existing` when the step looked it up itself (null: none), else the one it attached.
 */
export async function runToEnd(deps: WorkflowDeps, ctx: StepContext, start: () => Run, existing?: Run | null): Promise<Run> {
  const attached =
    existing !== undefined
      ? existing
      : ctx.row.run_id === null
        ? null
        : (deps.runs.list().find((r) => r.id === ctx.row.run_id) ?? null);
  let run: Run;
  if (attached?.status === 'completed') return attached;
  if (attached && !['queued', 'running'].includes(attached.status)) run = deps.runs.resume(attached.id);
  else if (attached) run = attached;
  else run = start();
  ctx.attach({ runId: run.id });
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

/**
 * Sweeps a run (continuing the sweep `existing` names, resuming it if it stopped) and waits for
 * its end. Without `existing`, a sweep of the same run, adapter and K_test list is reused.
 */
export async function sweepToEnd(
  deps: WorkflowDeps,
  ctx: StepContext,
  request: { runId: number; adapter: 'none' | 'frechet'; kTests?: number[] },
  existing: number | null = null,
): Promise<Sweep> {
  const same = (s: Sweep) =>
    existing !== null
      ? s.id === existing
      : s.adapter === request.adapter && request.kTests !== undefined && sameList(s.settings.kTests, request.kTests);
  let sweep = deps.sweeps.list(request.runId).find(same) ?? null;
  if (sweep && !['completed', 'queued', 'running'].includes(sweep.status)) sweep = deps.sweeps.resume(sweep.id);
  else if (!sweep) sweep = deps.sweeps.start(SweepRequest.parse(request));
  ctx.attach({ sweepId: sweep.id, runId: request.runId });
  const ended = await deps.sweeps.settled(sweep.id);
  if (ended.status !== 'completed') {
    throw new StepStopped(
      ended.status as StepStopped['status'],
      `Sweep #${ended.id} ${ended.status}${ended.error ? `: ${ended.error}` : ''}`,
    );
  }
  return ended;
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  const sorted = [...new Set(b)].sort((x, y) => x - y);
  return a.length === sorted.length && a.every((k, i) => k === sorted[i]);
}

/** A run's points of one adapter with their per-image results. */
export function measuredSeries(db: Db, runId: number, adapter: 'none' | 'frechet'): MeasuredPoint[] {
  return withImages(
    listRunPoints(db, runId).filter((p) => p.adapter === adapter),
    listPointImages(db, runId),
  );
}

/** A sweep step's output: the best K_test picked on the selection half (else all images), and K_train. */
export function sweepOutput(deps: WorkflowDeps, sweep: Sweep, adapter: 'none' | 'frechet'): SweepOutput {
  const points = measuredSeries(deps.db, sweep.runId, adapter);
  const { pickOn } = protocolFor(points);
  const kTrain = deps.runs.get(sweep.runId).config.kTrain;
  const best = bestOn(points, pickOn);
  const atKTrain = points.find((m) => m.point.kTest === kTrain);
  const score = (m: MeasuredPoint) => ({ kTest: m.point.kTest, top1: accuracyOn(m, pickOn)!.top1 });
  return {
    sweepId: sweep.id,
    runId: sweep.runId,
    kTests: sweep.settings.kTests,
    best: best ? score(best) : null,
    atKTrain: atKTrain ? score(atKTrain) : null,
  };
}
