import type { KTrainSuggestion, Workflow, WorkflowProgress } from '../../../shared/api/workflows';
import type { LabClient } from '../../../shared/client';
import { errorText } from '../lib/errors';
import { upsertById } from '../lib/upsert';
import {
  DEFAULT_WORKFLOW_FORM,
  startBlockedReason,
  workflowFormErrors,
  workflowRequest,
  type WorkflowForm,
} from '../lib/workflow-form';
import type { BackendName } from '../../../shared/backends';

/**
 * The "Train small, test large" wizard and the list of workflows: the form, the plan the lab
 * suggests for it, starting, and every workflow's live status and progress (cancel, resume).
 */
export class WorkflowsState {
  #client: LabClient;
  #form = $state<WorkflowForm>({ ...DEFAULT_WORKFLOW_FORM });
  #suggestion = $state.raw<KTrainSuggestion | null>(null);
  /** The form the suggestion was made for, so a changed form asks for a new plan. */
  #suggestedFor = $state<string | null>(null);
  #suggesting = $state(false);
  #items = $state.raw<Workflow[]>([]);
  #progress = $state.raw<Record<number, WorkflowProgress>>({});
  #loaded = $state(false);
  #busy = $state(false);
  #error = $state<string | null>(null);
  #formError = $state<string | null>(null);

  readonly #errors = $derived(workflowFormErrors(this.#form));

  constructor(client: LabClient) {
    this.#client = client;
  }

  /** The form, bound by the view's fields. */
  get form(): WorkflowForm {
    return this.#form;
  }
  get fieldErrors(): Record<string, string> {
    return this.#errors;
  }
  get valid(): boolean {
    return Object.keys(this.#errors).length === 0;
  }
  /** The plan for the current form (null until asked, or after the form changed). */
  get suggestion(): KTrainSuggestion | null {
    return this.#suggestedFor === this.#planKey() ? this.#suggestion : null;
  }
  /** Why Start is disabled: the plan says the budget is too small to learn anything (null: it may start). */
  get startBlocked(): string | null {
    return startBlockedReason(this.#form, this.suggestion);
  }
  get suggesting(): boolean {
    return this.#suggesting;
  }
  get items(): Workflow[] {
    return this.#items;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get busy(): boolean {
    return this.#busy;
  }
  /** An error of the list or of an action on a workflow. */
  get error(): string | null {
    return this.#error;
  }
  /** An error of planning or starting (shown by the form). */
  get formError(): string | null {
    return this.#formError;
  }

  get(id: number): Workflow | null {
    return this.#items.find((w) => w.id === id) ?? null;
  }
  progressOf(id: number): WorkflowProgress | null {
    const w = this.get(id);
    return w && w.status === 'running' ? (this.#progress[id] ?? null) : null;
  }

  /** Offers the first ready dataset when none is chosen. */
  offerDatasets(ids: readonly number[]): void {
    if (this.#form.datasetId === null || !ids.includes(this.#form.datasetId)) this.#form.datasetId = ids[0] ?? null;
  }

  /** Follows workflow updates and progress; returns the unsubscribe. */
  listen(): () => void {
    const offs = [
      this.#client.on('workflow.updated', (w) => (this.#items = upsertById(this.#items, w, { prepend: true }))),
      this.#client.on('workflow.progress', (p) => (this.#progress = { ...this.#progress, [p.workflowId]: p })),
    ];
    return () => offs.forEach((off) => off());
  }

  async load(): Promise<void> {
    try {
      this.#items = await this.#client.invoke('workflows.list', {});
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    } finally {
      this.#loaded = true;
    }
  }

  /** Asks the lab for K_train and the time estimate that fit the budget. */
  async suggest(): Promise<void> {
    const f = this.#form;
    if (!this.valid || f.datasetId === null) return;
    const key = this.#planKey();
    this.#suggesting = true;
    try {
      // The very request Start sends: the lab keeps this plan for it instead of probing again.
      this.#suggestion = await this.#client.invoke('workflows.suggest', workflowRequest({ ...f, datasetId: f.datasetId }));
      this.#suggestedFor = key;
      this.#formError = null;
    } catch (err) {
      this.#formError = errorText(err);
    } finally {
      this.#suggesting = false;
    }
  }

  /** Starts the workflow of the form; returns it (null when refused, with the reason in formError). */
  async start(): Promise<Workflow | null> {
    const f = this.#form;
    if (!this.valid || f.datasetId === null) return null;
    this.#busy = true;
    try {
      const workflow = await this.#client.invoke('workflows.start', workflowRequest({ ...f, datasetId: f.datasetId }));
      this.#items = upsertById(this.#items, workflow, { prepend: true });
      this.#formError = null;
      return workflow;
    } catch (err) {
      this.#formError = errorText(err);
      return null;
    } finally {
      this.#busy = false;
    }
  }

  async cancel(id: number): Promise<void> {
    await this.#act(() => this.#client.invoke('workflows.cancel', { id }));
  }

  /** Continues a stopped workflow; `backend` retries it on another rung (its own does not load here). */
  async resume(id: number, backend?: BackendName): Promise<void> {
    await this.#act(() => this.#client.invoke('workflows.resume', backend ? { id, backend } : { id }));
  }

  dismissError(): void {
    this.#error = null;
    this.#formError = null;
  }

  reset(): void {
    this.#form = { ...DEFAULT_WORKFLOW_FORM };
    this.#suggestion = null;
    this.#suggestedFor = null;
    this.#items = [];
    this.#progress = {};
    this.#loaded = false;
    this.dismissError();
  }

  /** The fields the suggestion depends on. */
  #planKey(): string {
    const f = this.#form;
    return JSON.stringify([
      f.datasetId,
      f.budgetMinutes,
      f.arch,
      f.epochs,
      f.batchSize,
      f.finetuneMode,
      f.finetuneEpochs,
      f.finetuneCandidates,
      f.adapt,
      f.payoff,
    ]);
  }

  async #act(action: () => Promise<Workflow>): Promise<void> {
    this.#busy = true;
    try {
      this.#items = upsertById(this.#items, await action(), { prepend: true });
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    } finally {
      this.#busy = false;
    }
  }
}
