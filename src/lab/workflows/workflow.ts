import type { RunProgress } from '../../shared/api/runs';
import type { SweepProgressEvent } from '../../shared/api/sweeps';
import {
  WORKFLOW_STEPS,
  type KTrainSuggestion,
  type Workflow,
  type WorkflowConfig,
  type WorkflowStepName,
  type WorkflowStepOutputs,
  type WorkflowSummary,
} from '../../shared/api/workflows';
import type { BackendName } from '../../shared/backends';
import { userError } from '../../shared/errors';
import { getDataset } from '../../store/datasets';
import { datasetGoneError } from '../datasets';
import * as runsStore from '../../store/runs';
import * as store from '../../store/workflows';
import { StepStopped } from './workflow-step-kit';
import { suggestRequestOf, WORKFLOW_STEP_RUNNERS, type WorkflowDeps } from './workflow-steps';
import { budgetRefusal } from '../../core/budget-refusal';
import { suggestKTrain } from './workflow-suggest';
import { RecentPlans } from './recent-plans';
import { assertResumable, failureOf, JobLifecycle, type JobFailure } from '../jobs';
import { toWorkflow } from './workflow-view';
import { missingRow } from '../missing-row';

/** How a workflow stopped, as its row stores it. */
interface WorkflowEnd {
  status: 'completed' | 'failed' | 'cancelled' | 'interrupted';
  error: string | null;
  summary?: WorkflowSummary;
}

/** Where a running workflow is: its step, and the run or sweep that step works on. */
interface Current {
  position: number;
  step: WorkflowStepName;
  runId: number | null;
  sweepId: number | null;
}

/**
 * "Train small, test large" as persisted steps: each step records the run or sweep it works on
 * before waiting for it and its output when done, so a workflow stopped anywhere (cancel, engine
 * killed, app closed) resumes at the step where it stopped, continuing that step's run or sweep.
 */
export class WorkflowService {
  #deps: WorkflowDeps;
  #life: JobLifecycle<WorkflowEnd>;
  #current = new Map<number, Current>();
  /** Plans made by start(), until each workflow's plan step keeps its own. */
  #planned = new Map<number, KTrainSuggestion>();
  /** Plans made by suggest(), for start() to take. */
  #recentPlans = new RecentPlans();

  constructor(deps: WorkflowDeps) {
    this.#deps = deps;
    this.#life = new JobLifecycle({
      db: deps.db,
      writeEnd: (id, end) => store.setWorkflowStatus(deps.db, id, end.status, { error: end.error, summary: end.summary }),
      exists: (id) => store.getWorkflow(deps.db, id) !== undefined,
      emitUpdated: (id) => this.#emit(id),
    });
    deps.events.subscribe((event, payload) => this.#forwardProgress(event, payload));
  }

  /**
   * Starts a workflow. One whose K_train and epochs the plan picks is planned first (speed probes
   * unless runs of this model on this dataset exist) and refused when its budget is too small to
   * learn anything (src/core/budget-refusal.ts); its plan step then keeps that plan.
   */
  async start(config: WorkflowConfig): Promise<Workflow> {
    const dataset = this.#readyDataset(config.datasetId);
    let planned: KTrainSuggestion | undefined;
    if (!config.kTrain && config.modelId === undefined && !config.epochs) {
      const request = suggestRequestOf(dataset.id, config);
      // The plan Plan just showed for this very workflow, else a new one.
      planned = this.#recentPlans.take(request) ?? (await suggestKTrain(this.#deps, request));
      const refusal = budgetRefusal(planned);
      if (refusal) throw userError(refusal, 'budgetMinutes');
    }
    const name = config.name || `Train small, test large on ${dataset.name}`;
    const row = store.insertWorkflow(this.#deps.db, { name, datasetId: dataset.id, config, steps: WORKFLOW_STEPS });
    if (planned) this.#planned.set(row.id, planned);
    this.#launch(row.id);
    return this.get(row.id);
  }

  /**
   * The plan `start(config)` would make: K_train, epochs and the time estimate for the budget
   * (speed probes unless runs of this model on this dataset exist). Starting the same workflow
   * soon after takes this plan instead of probing again.
   */
  async suggest(config: WorkflowConfig): Promise<KTrainSuggestion> {
    const dataset = this.#readyDataset(config.datasetId);
    const request = suggestRequestOf(dataset.id, config);
    const plan = await suggestKTrain(this.#deps, request);
    this.#recentPlans.remember(request, plan);
    return plan;
  }

  /**
   * Continues a stopped workflow at its first step that has not completed. `backend` retries it on
   * another rung (its own could not load here): the workflow and its unfinished runs then name it.
   */
  resume(id: number, { backend }: { backend?: BackendName } = {}): Workflow {
    const workflow = this.get(id);
    assertResumable(`Workflow ${id}`, workflow.status);
    if (workflow.datasetId === null) throw datasetGoneError(this.#deps.db, 'workflows', id, 'id');
    // Here, not only in #drive: a database that still refuses writes fails the request, not the workflow.
    this.#life.ends.retry();
    if (backend) this.#retarget(id, backend);
    store.setWorkflowStatus(this.#deps.db, id, 'running');
    this.#launch(id);
    return this.get(id);
  }

  #retarget(id: number, backend: BackendName): void {
    const { db } = this.#deps;
    store.setWorkflowConfigBackend(db, id, backend);
    for (const step of store.listWorkflowSteps(db, id)) {
      if (step.run_id !== null && runsStore.getRun(db, step.run_id)?.status !== 'completed') {
        runsStore.setConfigBackend(db, step.run_id, backend);
      }
    }
  }

  /** Stops a workflow: its current run or sweep is cancelled (checkpoints and measured points kept). */
  cancel(id: number): Workflow {
    const workflow = this.get(id);
    const current = this.#current.get(id);
    if (!current || !this.#life.cancel(id))
      throw userError(`Workflow ${id} is not running (${workflow.status})`, 'id', 'Conflict');
    try {
      if (current.runId !== null && this.#deps.runs.isActive(current.runId)) this.#deps.runs.cancel(current.runId);
      if (current.sweepId !== null) this.#deps.sweeps.cancel(current.sweepId);
    } catch {
      // The run or sweep ended meanwhile; the step sees that and the aborted signal stops the next one.
    }
    return this.get(id);
  }

  list(): Workflow[] {
    this.#life.ends.retry();
    return store
      .listWorkflows(this.#deps.db)
      .map((row) => toWorkflow(this.#life.ends.apply(row), store.listWorkflowSteps(this.#deps.db, row.id)));
  }

  get(id: number): Workflow {
    const row = store.getWorkflow(this.#deps.db, id);
    if (!row) throw missingRow(this.#deps.db, 'workflow', id, 'id');
    return toWorkflow(this.#life.ends.apply(row), store.listWorkflowSteps(this.#deps.db, id));
  }

  /** Settles once the workflow has stopped here (completed, failed, cancelled or interrupted). */
  async settled(id: number): Promise<Workflow> {
    this.get(id);
    await this.#life.settled(id);
    return this.get(id);
  }

  #launch(id: number): void {
    this.#current.set(id, { position: 0, step: 'plan', runId: null, sweepId: null });
    this.#life.launch(id, {
      run: ({ signal }) => this.#drive(id, signal).finally(() => this.#current.delete(id)),
      failedEnd: ({ status, error }) => ({ status, error }),
    });
  }

  /** Runs the steps that have not completed, in order, until one stops short or the workflow is cancelled. */
  async #drive(id: number, signal: AbortSignal): Promise<WorkflowEnd> {
    const { db } = this.#deps;
    store.setWorkflowStatus(db, id, 'running');
    this.#emit(id);
    for (const row of store.listWorkflowSteps(db, id)) {
      if (row.status === 'completed') continue;
      if (signal.aborted) return { status: 'cancelled', error: null };
      const ended = await this.#runStep(id, row, signal);
      if (ended) return ended;
    }
    for (const step of this.get(id).steps)
      if (step.step === 'summary' && step.output) return { status: 'completed', error: null, summary: step.output };
    return { status: 'completed', error: null };
  }

  /** Runs one step; returns how the workflow stops if the step did not complete. */
  async #runStep(id: number, row: store.WorkflowStepRow, signal: AbortSignal): Promise<JobFailure | null> {
    const { db } = this.#deps;
    const workflow = this.get(id);
    const step = row.step as WorkflowStepName;
    const current = this.#current.get(id)!;
    Object.assign(current, { position: row.position, step, runId: row.run_id, sweepId: row.sweep_id });
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
        outputs: completedOutputs(workflow),
        attach: (a) => {
          store.attachToStep(db, id, row.position, a);
          if (a.runId !== undefined) current.runId = a.runId;
          if (a.sweepId !== undefined) current.sweepId = a.sweepId;
          this.#emit(id);
        },
        signal,
        ...(step === 'plan' && this.#planned.has(id) ? { planned: this.#planned.get(id)! } : {}),
      });
      this.#planned.delete(id);
      if (!db.open) return null;
      const { earlierSeconds = 0, ...ended } = outcome;
      store.endStep(db, id, row.position, { status: 'completed', ...ended, seconds: seconds() + earlierSeconds });
      this.#emit(id);
      return null;
    } catch (err) {
      this.#planned.delete(id);
      if (!db.open) return null;
      const { status, error } = err instanceof StepStopped ? err.failure : failureOf(err);
      try {
        store.endStep(db, id, row.position, { status, seconds: seconds(), error });
      } catch {
        // A database that refuses the step's end refuses the workflow's too: the workflow's unsaved end says why.
      }
      return { status, error: error === null ? null : `${step}: ${error}` };
    }
  }

  #forwardProgress(event: string, payload: unknown): void {
    for (const [workflowId, active] of this.#current) {
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

  #progress(workflowId: number, active: Current, fraction: number, detail: string): void {
    this.#deps.events.emit('workflow.progress', {
      workflowId,
      step: active.step,
      position: active.position,
      steps: WORKFLOW_STEPS.length,
      fraction: Math.min(1, Math.max(0, fraction)),
      detail,
    });
  }

  #readyDataset(datasetId: number) {
    const dataset = getDataset(this.#deps.db, datasetId);
    if (!dataset) throw missingRow(this.#deps.db, 'dataset', datasetId, 'datasetId');
    if (dataset.status !== 'ready')
      throw userError(`Dataset "${dataset.name}" is not ready (${dataset.status})`, 'datasetId', 'Conflict');
    return dataset;
  }

  #emit(id: number): Workflow {
    const workflow = this.get(id);
    this.#deps.events.emit('workflow.updated', workflow);
    return workflow;
  }
}

/** The outputs of a workflow's completed steps, by step. */
function completedOutputs(workflow: Workflow): Partial<WorkflowStepOutputs> {
  const outputs: Partial<Record<WorkflowStepName, unknown>> = {};
  for (const step of workflow.steps) if (step.status === 'completed' && step.output !== null) outputs[step.step] = step.output;
  // Each output was parsed by its own step's schema (WorkflowStep is a union over `step`).
  return outputs as Partial<WorkflowStepOutputs>;
}
