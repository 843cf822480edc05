import type { Run, RunConfigInput } from '../../../shared/api/runs';
import type { LabClient } from '../../../shared/client';
import { LabError } from '../../../shared/errors';
import { messageOf } from '../lib/errors';
import { defaultRunFormValues, validateRunForm, type RunFormValues } from '../lib/run-form';
import { RecipeExportState } from './recipe-export.svelte';

/**
 * The Train form: values as typed, field-level validation by the RunConfig schema on every change,
 * and starting the run. Errors from the lab that name a field land under that field.
 */
export class TrainFormState {
  #client: LabClient;
  values = $state<RunFormValues>(defaultRunFormValues());
  #submitted = $state(false);
  #busy = $state(false);
  #serverError = $state<{ field: string | null; message: string } | null>(null);
  readonly #validation = $derived(validateRunForm(this.values));
  /** "Run elsewhere…": the same settings as a PyTorch torchrun recipe. */
  readonly elsewhere: RecipeExportState;

  constructor(client: LabClient) {
    this.#client = client;
    this.elsewhere = new RecipeExportState(client, () => this.request);
  }

  /** The runs.start request the form describes, or null while it is invalid. */
  get request(): RunConfigInput | null {
    return this.#validation.request;
  }

  get busy(): boolean {
    return this.#busy;
  }
  get valid(): boolean {
    return this.#validation.request !== null;
  }

  /** The message to show under a field. A missing dataset is only reported once the user tried to start. */
  errorOf(field: string): string | null {
    const server = this.#serverError;
    if (server?.field === field) return server.message;
    const message = this.#validation.errors[field] ?? null;
    if (field === 'datasetId' && !this.#submitted) return null;
    return message;
  }

  /** Errors not tied to a shown field (lab refusals, hidden settings). */
  get formErrors(): string[] {
    const server = this.#serverError;
    const fromServer = server && (!server.field || !(server.field in this.values)) ? [server.message] : [];
    return [...this.#validation.other, ...fromServer];
  }

  /** Picks the dataset unless the user already chose one that is still offered. */
  offerDatasets(ids: number[]): void {
    if (this.values.datasetId !== null && ids.includes(this.values.datasetId)) return;
    this.values.datasetId = ids[ids.length - 1] ?? null;
  }

  /** Clears a lab error once the field it named is edited. */
  edited(field: string): void {
    if (this.#serverError?.field === field || this.#serverError?.field === null) this.#serverError = null;
  }

  /** Starts the run; returns it, or null with the errors shown where they belong. */
  async start(): Promise<Run | null> {
    this.#submitted = true;
    this.#serverError = null;
    const request = this.#validation.request;
    if (!request) return null;
    this.#busy = true;
    try {
      return await this.#client.invoke('runs.start', request);
    } catch (err) {
      const field = err instanceof LabError && err.field ? err.field.split('.')[0]! : null;
      this.#serverError = { field, message: messageOf(err).replace(/^\w+: /, field ? '' : '$&') };
      return null;
    } finally {
      this.#busy = false;
    }
  }

  reset(): void {
    this.values = defaultRunFormValues();
    this.#submitted = false;
    this.#serverError = null;
  }
}
