import type { LabClient } from '../../../shared/client';
import type { EngineStatus } from '../../../shared/api/engine';
import type { RungStatus } from '../../../shared/backends';
import { errorText } from '../lib/errors';

/** The compute engine as the doctor reports it: the backend in use and every rung of the ladder. */
export class EngineState {
  #client: LabClient;
  #status = $state<EngineStatus | null>(null);
  #error = $state<string | null>(null);
  #loading: Promise<void> | null = null;

  constructor(client: LabClient) {
    this.#client = client;
  }

  get status(): EngineStatus | null {
    return this.#status;
  }
  /** Every rung, once the engine has reported (its first start takes a moment); null before. */
  get rungs(): readonly RungStatus[] | null {
    return this.#status?.rungs ?? null;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Asks the engine once; later calls wait for the same answer. */
  load(): Promise<void> {
    this.#loading ??= this.#ask(false);
    return this.#loading;
  }

  /** Asks the engine again (after a run switched backends, or a rung failed to load). */
  refresh(): Promise<void> {
    this.#loading = this.#ask(true);
    return this.#loading;
  }

  reset(): void {
    this.#status = null;
    this.#error = null;
    this.#loading = null;
  }

  async #ask(refresh: boolean): Promise<void> {
    try {
      this.#status = await this.#client.invoke('engine.status', refresh ? { refresh } : {});
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
      this.#loading = null;
    }
  }
}
