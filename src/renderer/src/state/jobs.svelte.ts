import type { JobInfo, RunProgress } from '../../../shared/api/runs';
import type { LabClient } from '../../../shared/client';
import { errorText } from '../lib/errors';
import { runFraction } from '../lib/run-curves';
import { sampleName } from '../lib/dataset-format';

/** Work outside the compute queue that the status bar shows too: a sample being prepared, a dataset being scanned. */
export interface BackgroundWork {
  key: string;
  label: string;
  /** 0…1 once known. */
  fraction: number | null;
}

/**
 * The lab's job queue (one compute job at a time, the rest waiting), kept current by `jobs.changed`,
 * and the image engine's long tasks (samples, scans) from their progress events, whoever started them.
 */
export class JobsState {
  #client: LabClient;
  #nameOf: (datasetId: number) => string;
  #background = $state.raw<BackgroundWork[]>([]);
  #jobs = $state.raw<JobInfo[]>([]);
  #progress = $state.raw<RunProgress | null>(null);
  #error = $state<string | null>(null);
  #lastTrainingRun = $state<number | null>(null);

  constructor(client: LabClient, nameOf: (datasetId: number) => string = (id) => `dataset #${id}`) {
    this.#client = client;
    this.#nameOf = nameOf;
  }

  /** Samples being prepared and datasets being scanned, oldest first. */
  get background(): BackgroundWork[] {
    return this.#background;
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
  /** The run training now, else the last one seen training (so a view that shows it live keeps its final state). */
  get trainingRunId(): number | null {
    return this.#jobs.find((j) => j.state === 'running' && j.kind === 'train')?.runId ?? this.#lastTrainingRun;
  }
  get queuedCount(): number {
    return this.#jobs.filter((j) => j.state === 'queued').length;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Subscribes to queue changes and run progress; returns the unsubscribe. */
  listen(): () => void {
    const offJobs = this.#client.on('jobs.changed', (jobs) => this.#setJobs(jobs));
    const offProgress = this.#client.on('run.progress', (p) => (this.#progress = p));
    const offSample = this.#client.on('dataset.sampleProgress', (p) =>
      this.#track(
        `sample:${p.kind}`,
        p.finished ? null : { label: `Preparing ${sampleName(p.kind)}`, fraction: ratio(p.done, p.total) },
      ),
    );
    const offScan = this.#client.on('dataset.scanProgress', (p) =>
      this.#track(
        `scan:${p.datasetId}`,
        p.done
          ? null
          : {
              label: `Scanning ${this.#nameOf(p.datasetId)}`,
              fraction: p.phase === 'reading' ? ratio(p.processed, p.total) : null,
            },
      ),
    );
    const offRemoved = this.#client.on('dataset.removed', ({ id }) => this.#track(`scan:${id}`, null));
    return () => [offJobs, offProgress, offSample, offScan, offRemoved].forEach((off) => off());
  }

  async load(): Promise<void> {
    try {
      this.#setJobs(await this.#client.invoke('jobs.list', {}));
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    }
  }

  #track(key: string, work: Omit<BackgroundWork, 'key'> | null): void {
    const others = this.#background.filter((w) => w.key !== key);
    const existing = this.#background.some((w) => w.key === key);
    if (!work) this.#background = others;
    else if (existing) this.#background = this.#background.map((w) => (w.key === key ? { key, ...work } : w));
    else this.#background = [...others, { key, ...work }];
  }

  #setJobs(jobs: JobInfo[]): void {
    this.#jobs = jobs;
    const training = jobs.find((j) => j.state === 'running' && j.kind === 'train')?.runId;
    if (training !== undefined && training !== null) this.#lastTrainingRun = training;
  }

  reset(): void {
    this.#lastTrainingRun = null;
    this.#background = [];
    this.#jobs = [];
    this.#progress = null;
    this.#error = null;
  }
}

function ratio(done: number | undefined, total: number | undefined): number | null {
  return done !== undefined && total ? Math.min(1, done / total) : null;
}
