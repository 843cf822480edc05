import type { JobInfo } from '../../../shared/api/runs';
import type { LabClient } from '../../../shared/client';
import { messageOf } from '../lib/errors';

/** The lab's job queue (one compute job at a time, the rest waiting), kept current by `jobs.changed`. */
export class JobsState {
  #client: LabClient;
  #jobs = $state.raw<JobInfo[]>([]);
  #error = $state<string | null>(null);

  constructor(client: LabClient) {
    this.#client = client;
  }

  get jobs(): JobInfo[] {
    return this.#jobs;
  }
  get running(): JobInfo | null {
    return this.#jobs.find((j) => j.state === 'running') ?? null;
  }
  get queuedCount(): number {
    return this.#jobs.filter((j) => j.state === 'queued').length;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Subscribes to queue changes; returns the unsubscribe. */
  listen(): () => void {
    return this.#client.on('jobs.changed', (jobs) => (this.#jobs = jobs));
  }

  async load(): Promise<void> {
    try {
      this.#jobs = await this.#client.invoke('jobs.list', {});
      this.#error = null;
    } catch (err) {
      this.#error = messageOf(err);
    }
  }

  reset(): void {
    this.#jobs = [];
    this.#error = null;
  }
}
