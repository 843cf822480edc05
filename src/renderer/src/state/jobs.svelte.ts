import type { JobInfo, RunProgress } from '../../../shared/api/runs';
import type { LabClient } from '../../../shared/client';
import { messageOf } from '../lib/errors';
import { runFraction } from '../lib/run-curves';

/** The lab's job queue (one compute job at a time, the rest waiting), kept current by `jobs.changed`. */
export class JobsState {
  #client: LabClient;
  #jobs = $state.raw<JobInfo[]>([]);
  #progress = $state.raw<RunProgress | null>(null);
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
  /** How far the running job's run is (0…1), when it is a training run that has reported progress. */
  get runningFraction(): number | null {
    const run = this.running?.runId;
    return run !== undefined && this.#progress?.runId === run ? runFraction(this.#progress) : null;
  }
  get queuedCount(): number {
    return this.#jobs.filter((j) => j.state === 'queued').length;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Subscribes to queue changes and run progress; returns the unsubscribe. */
  listen(): () => void {
    const offJobs = this.#client.on('jobs.changed', (jobs) => (this.#jobs = jobs));
    const offProgress = this.#client.on('run.progress', (p) => (this.#progress = p));
    return () => {
      offJobs();
      offProgress();
    };
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
    this.#progress = null;
    this.#error = null;
  }
}
