import type { RunProgress } from '../../shared/api/runs';
import type { SweepProgressEvent } from '../../shared/api/sweeps';
import {
  WORKFLOW_STEPS,
  type KTrainSuggestion,
  type Workflow,
  type WorkflowConfig,
  type WorkflowStepName,
  type WorkflowSummary,
} from '../../shared/api/workflows';
import { toErrorInfo, userError } from '../../shared/errors';
import { getDataset } from '../../store/datasets';
import { datasetGoneError } from '../datasets/forgotten';
import * as store from '../../store/workflows';
import { StepStopped, WORKFLOW_STEP_RUNNERS, type WorkflowDeps } from './workflow-steps';
import { suggestKTrain, type ParsedSuggestRequest } from './workflow-suggest';
import { UnsavedEnds } from '../jobs/unsaved-ends';
import { toWorkflow } from './workflow-view';
import { missingRow } from '../missing-row';

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

/** How a workflow stopped, as its row stores it. */
interface WorkflowEnd {
  status: 'completed' | 'failed' | 'cancelled' | 'interrupted';
  error: string | null;
  summary?: WorkflowSummary;
}

interface Active {
  position: number;
  step: WorkflowStepName;
  runId: number | null;
  sweepId: number | null;
  controller: AbortController;
}

/**
 * "Train small, test large" as persisted steps: each step records the run or sweep it works on
 * before waiting for it and its output when done, so a workflow stopped anywhere (cancel, engine
 * killed, app closed) resumes at the step where it stopped, continuing that step's run or sweep.
 */
export class WorkflowService {
  #deps: WorkflowDeps;
  #active = new Map<number, Active>();
  #cancelled = new Set<number>();
  #waiters = new Map<number, ((w: Workflow) => void)[]>();
  /** Ends a full or read-only database refused: shown at once, written when it takes writes again. */
  #ends: UnsavedEnds<WorkflowEnd>;

  constructor(deps: WorkflowDeps) {
    this.#deps = deps;
    this.#ends = new UnsavedEnds((id, end) =>
      store.setWorkflowStatus(deps.db, id, end.status, { error: end.error, summary: end.summary }),
    );
    deps.events.subscribe((event, payload) => this.#forwardProgress(event, payload));
  }

  start(config: WorkflowConfig): Workflow {
    const dataset = getDataset(this.#deps.db, config.datasetId);
    if (!dataset) throw missingRow(this.#deps.db, 'dataset', config.datasetId, 'datasetId');
    if (dataset.status !== 'ready') throw userError(`Dataset "${dataset.name}" is not ready (${dataset.status})`, 'datasetId');
    const name = config.name || `Train small, test large on ${dataset.name}`;
    const row = store.insertWorkflow(this.#deps.db, { name, datasetId: dataset.id, config, steps: WORKFLOW_STEPS });
    void this.#drive(row.id);
    return this.get(row.id);
  }

  /** The K_train the workflow would choose for a dataset and a time budget (may run two short speed probes). */
  suggest(request: ParsedSuggestRequest): Promise<KTrainSuggestion> {
    return suggestKTrain(this.#deps, request);
  }

  /** Continues a stopped workflow at its first step that has not completed. */
  resume(id: number): Workflow {
    const workflow = this.get(id);
    if (workflow.status === 'completed') throw userError(`Workflow ${id} has completed; there is nothing to resume`, 'id');
    if (this.#active.has(id)) throw userError(`Workflow ${id} is already running`, 'id');
    if (workflow.datasetId === null) throw datasetGoneError(this.#deps.db, 'workflows', id, 'id');
    // Here, not only in #drive: a database that still refuses writes fails the request, not a detached promise.
    this.#ends.retry();
    store.setWorkflowStatus(this.#deps.db, id, 'running');
    void this.#drive(id);
    return this.get(id);
  }

  /** Stops a workflow: its current run or sweep is cancelled (checkpoints and measured points kept). */
  cancel(id: number): Workflow {
    const workflow = this.get(id);
    const active = this.#active.get(id);
    if (!active) throw userError(`Workflow ${id} is not running (${workflow.status})`, 'id');
    this.#cancelled.add(id);
    active.controller.abort();
    try {
      if (active.runId !== null && this.#deps.queue.findByRun(active.runId)) this.#deps.runs.cancel(active.runId);
      if (active.sweepId !== null) this.#deps.sweeps.cancel(active.sweepId);
    } catch {
      // The run or sweep ended meanwhile; the step sees that and the flag stops the next one.
    }
    return this.get(id);
  }

  list(): Workflow[] {
    this.#ends.retry();
    return store
      .listWorkflows(this.#deps.db)
      .map((row) => toWorkflow(this.#ends.apply(row), store.listWorkflowSteps(this.#deps.db, row.id)));
  }

  get(id: number): Workflow {
    const row = store.getWorkflow(this.#deps.db, id);
    if (!row) throw missingRow(this.#deps.db, 'workflow', id, 'id');
    return toWorkflow(this.#ends.apply(row), store.listWorkflowSteps(this.#deps.db, id));
  }

  /** Settles once the workflow has stopped (completed, failed, cancelled or interrupted). */
  settled(id: number): Promise<Workflow> {
    const workflow = this.get(id);
    if (TERMINAL.has(workflow.status) && !this.#active.has(id)) return Promise.resolve(workflow);
    return new Promise((resolve) => this.#waiters.set(id, [...(this.#waiters.get(id) ?? []), resolve]));
  }

  async #drive(id: number): Promise<void> {
    const { db } = this.#deps;
    const controller = new AbortController();
    this.#active.set(id, { position: 0, step: 'plan', runId: null, sweepId: null, controller });
    this.#cancelled.delete(id);
    store.setWorkflowStatus(db, id, 'running');
    this.#emit(id);
    let outcome: WorkflowEnd = { status: 'completed', error: null };
    try {
      for (const row of store.listWorkflowSteps(db, id)) {
        if (row.status === 'completed') continue;
        if (this.#cancelled.has(id)) {
          outcome = { status: 'cancelled', error: null };
          break;
        }
        const ended = await this.#runStep(id, row, controller.signal);
        if (!db.open) return;
        if (ended) {
          outcome = ended;
          break;
        }
      }
      if (outcome.status === 'completed') outcome.summary = this.get(id).steps.at(-1)!.output as WorkflowSummary;
    } catch (err) {
      outcome = { status: 'failed', error: toErrorInfo(err).message };
    }
    this.#active.delete(id);
    if (!db.open) return;
    this.#ends.save(id, outcome);
    const workflow = this.#emit(id);
    for (const resolve of this.#waiters.get(id) ?? []) resolve(workflow);
    this.#waiters.delete(id);
  }

  /** Runs one step; returns how the workflow stops if the step did not complete. */
  async #runStep(
    id: number,
    row: store.WorkflowStepRow,
    signal: AbortSignal,
  ): Promise<{ status: 'failed' | 'cancelled' | 'interrupted'; error: string | null } | null> {
    const { db } = this.#deps;
    const workflow = this.get(id);
    const step = row.step as WorkflowStepName;
    const active = this.#active.get(id)!;
    Object.assign(active, { position: row.position, step, runId: row.run_id, sweepId: row.sweep_id });
    store.startStep(db, id, row.position);
    this.#emit(id);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const outcome = await WORKFLOW_STEP_RUNNERS[step](this.#deps, {
        workflowId: id,
        name: workflow.name,
        datasetId: workflow.datasetId!,
        config: workflow.config,
        row,
        outputs: Object.fromEntries(workflow.steps.filter((s) => s.status === 'completed').map((s) => [s.step, s.output])),
        attach: (a) => {
          store.attachToStep(db, id, row.position, a);
          if (a.runId !== undefined) active.runId = a.runId;
          if (a.sweepId !== undefined) active.sweepId = a.sweepId;
          this.#emit(id);
        },
        signal,
      });
      if (!db.open) return null;
      store.endStep(db, id, row.position, { status: 'completed', seconds: seconds(), ...outcome });
      this.#emit(id);
      return null;
    } catch (err) {
      if (!db.open) return null;
      const info = toErrorInfo(err);
      const status = err instanceof StepStopped ? err.status : stepStatusOf(info.name);
      try {
        store.endStep(db, id, row.position, { status, seconds: seconds(), error: status === 'cancelled' ? null : info.message });
      } catch {
        // A database that refuses the step's end refuses the workflow's too: the workflow's unsaved end says why.
      }
      return { status, error: status === 'cancelled' ? null : `${step}: ${info.message}` };
    }
  }

  #forwardProgress(event: string, payload: unknown): void {
    for (const [workflowId, active] of this.#active) {
      if (event === 'run.progress' && (payload as RunProgress).runId === active.runId) {
        const p = payload as RunProgress;
        const fraction = (p.epoch + p.batch / p.batchesPerEpoch) / p.epochs;
        this.#progress(workflowId, active, fraction, `epoch ${p.epoch + 1}/${p.epochs}, loss ${p.loss.toFixed(3)}`);
      } else if (event === 'sweep.progress' && (payload as SweepProgressEvent).sweepId === active.sweepId) {
        const p = payload as SweepProgressEvent;
        const fraction = p.phase === 'reference' ? 0 : (p.index + p.done / Math.max(1, p.total)) / p.resolutions;
        this.#progress(
          workflowId,
          active,
          fraction,
          p.phase === 'reference' ? 'reference features' : `K_test ${p.kTest} (${p.phase})`,
        );
      }
    }
  }

  #progress(workflowId: number, active: Active, fraction: number, detail: string): void {
    this.#deps.events.emit('workflow.progress', {
      workflowId,
      step: active.step,
      position: active.position,
      steps: WORKFLOW_STEPS.length,
      fraction: Math.min(1, Math.max(0, fraction)),
      detail,
    });
  }

  #emit(id: number): Workflow {
    const workflow = this.get(id);
    this.#deps.events.emit('workflow.updated', workflow);
    return workflow;
  }
}

/** How a step that threw ends: cancelled, interrupted when an engine died under it (as its runs and sweeps are), else failed. */
function stepStatusOf(errorName: string): 'cancelled' | 'interrupted' | 'failed' {
  if (errorName === 'AbortError') return 'cancelled';
  return errorName === 'EngineExited' ? 'interrupted' : 'failed';
}
