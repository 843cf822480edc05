import type { LabClient } from '../../../shared/client';
import { errorText, missingRow } from '../lib/errors';

/**
 * A view of one run (its curves, its resolution chart, its activations): the run's id, the last
 * error to show, and whether the run is missing (deleted, or an id that never was) after a read.
 */
export class RunViewState {
  readonly runId: number;
  protected readonly client: LabClient;
  #error = $state<string | null>(null);
  #missing = $state<'deleted' | 'unknown' | null>(null);

  constructor(client: LabClient, runId: number) {
    this.client = client;
    this.runId = runId;
  }

  get error(): string | null {
    return this.#error;
  }
  get notFound(): boolean {
    return this.#missing !== null;
  }
  /** The run is not there because it was deleted (not a mistyped id). */
  get deleted(): boolean {
    return this.#missing === 'deleted';
  }

  /** Runs the view's main read: clears the error and the missing mark, or keeps why it failed. Returns whether it read. */
  protected async readRun(read: () => Promise<void>): Promise<boolean> {
    try {
      await read();
      this.#error = null;
      this.#missing = null;
      return true;
    } catch (err) {
      this.#error = errorText(err);
      this.#missing = missingRow(err);
      return false;
    }
  }

  /** Shows why an action on the run failed. */
  protected showError(err: unknown): void {
    this.#error = errorText(err);
  }

  dismissError(): void {
    this.#error = null;
  }

  /** Forgets that the run was missing (a reset view reads it afresh). */
  protected forgetMissing(): void {
    this.#missing = null;
  }
}
