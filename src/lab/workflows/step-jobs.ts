import { bestKTest } from '../../core/ktest';
import { isActiveStatus, type Run } from '../../shared/api/runs';
import { SweepRequest, type Sweep } from '../../shared/api/sweeps';
import type { WorkflowStepOutputs } from '../../shared/api/workflows';
import { userError } from '../../shared/errors';
import { listRunPoints } from '../../store/sweeps';
import type { JobFailure } from '../jobs';
import type { StepContext, StepOutcome, WorkflowDeps } from './workflow-steps';

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

/** The output and cost of a train or finetune step. */
export function runOutcome(run: Run): StepOutcome<WorkflowStepOutputs['train']> {
  return {
    output: { runId: run.id, kTrain: run.config.kTrain, lastAcc: run.lastAcc },
    peakRssMb: run.peakRssMb,
    imgPerSec: run.imgPerSec,
  };
}

/** Starts the step's run (or continues the one an earlier attempt attached) and waits for its end. */
export async function runToEnd(deps: WorkflowDeps, ctx: StepContext, start: () => Run): Promise<Run> {
  const attached = ctx.row.run_id === null ? null : deps.runs.list().find((r) => r.id === ctx.row.run_id);
  let run: Run;
  if (attached?.status === 'completed') return attached;
  if (attached && !isActiveStatus(attached.status)) run = deps.runs.resume(attached.id);
  else if (attached) run = attached;
  else {
    run = start();
    ctx.attach({ runId: run.id });
  }
  const ended = await deps.runs.settled(run.id);
  if (isActiveStatus(ended.status)) throw elsewhere(`Run #${ended.id}`, ended.status);
  if (ended.status !== 'completed')
    throw new StepStopped(
      ended.status as StepStopped['status'],
      `Run #${ended.id} ${ended.status}${ended.error ? `: ${ended.error}` : ''}`,
    );
  return ended;
}

/**
 * Sweeps the step's run (or continues the sweep an earlier attempt attached). `adoptLatest`: the
 * run's latest sweep with this adapter is the step's own — the fine-tune queued it behind the child.
 */
export async function sweepStep(
  deps: WorkflowDeps,
  ctx: StepContext,
  runId: number,
  adapter: 'none' | 'frechet',
  options: { adoptLatest?: boolean } = {},
): Promise<StepOutcome<WorkflowStepOutputs['sweep']>> {
  const kTests = ctx.config.kTests ?? ctx.outputs.sweep?.kTests;
  const sweeps = deps.sweeps.list(runId);
  let sweep: Sweep | null =
    ctx.row.sweep_id === null
      ? ((options.adoptLatest ? sweeps.find((s) => s.adapter === adapter) : undefined) ?? null)
      : (sweeps.find((s) => s.id === ctx.row.sweep_id) ?? null);
  if (sweep && ctx.row.sweep_id === null) ctx.attach({ sweepId: sweep.id, runId });
  if (sweep && sweep.status !== 'completed' && !isActiveStatus(sweep.status)) sweep = deps.sweeps.resume(sweep.id);
  else if (!sweep) {
    sweep = deps.sweeps.start(SweepRequest.parse({ runId, adapter, ...(kTests ? { kTests } : {}) }));
    ctx.attach({ sweepId: sweep.id, runId });
  }
  const ended = await deps.sweeps.settled(sweep.id);
  if (isActiveStatus(ended.status)) throw elsewhere(`Sweep #${ended.id}`, ended.status);
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
  const output: WorkflowStepOutputs['sweep'] = {
    sweepId: ended.id,
    runId,
    kTests: ended.settings.kTests,
    best: best ? { kTest: best.kTest, top1: best.top1 } : null,
    atKTrain: atKTrain ? { kTest: kTrain, top1: atKTrain.top1 } : null,
  };
  return { output, peakRssMb: ended.peakRssMb, imgPerSec: ended.imgPerSec };
}

/** A run or sweep still queued or running, but not in this lab: another FixRes Lab process on the same folder has it. */
function elsewhere(what: string, status: string): Error {
  return userError(
    `${what} is ${status} in another FixRes Lab process; resume the workflow once it has ended`,
    undefined,
    'Busy',
  );
}
