import { randomUUID } from 'node:crypto';
import type { JobInfo } from '../../shared/api/runs';

export interface QueuedJob {
  kind: string;
  label: string;
  runId: number | null;
  /** Runs the job; must settle (handle its own errors). The signal fires on cancel. */
  execute(signal: AbortSignal): Promise<void>;
}

interface Entry extends QueuedJob {
  id: string;
  queuedAt: string;
  startedAt: string | null;
  controller: AbortController;
}

/**
 * One compute job at a time (a device trains one model at a time); the others wait in order.
 * Every change is reported, so every window sees the same queue.
 */
export class JobQueue {
  #entries: Entry[] = [];
  #onChange: (jobs: JobInfo[]) => void;
  #idle: Promise<void> = Promise.resolve();
  #settleIdle: (() => void) | null = null;

  constructor(onChange: (jobs: JobInfo[]) => void = () => {}) {
    this.#onChange = onChange;
  }

  /** Adds a job; it starts now if nothing runs. Returns its id. */
  enqueue(job: QueuedJob): string {
    const entry: Entry = {
      ...job,
      id: randomUUID(),
      queuedAt: new Date().toISOString(),
      startedAt: null,
      controller: new AbortController(),
    };
    if (!this.#entries.length) this.#idle = new Promise((resolve) => (this.#settleIdle = resolve));
    this.#entries.push(entry);
    this.#changed();
    if (this.#entries.length === 1) void this.#runNext();
    return entry.id;
  }

  /** Cancels a job: a queued one leaves the queue, a running one gets its signal. */
  cancel(id: string): 'dequeued' | 'signalled' | null {
    const index = this.#entries.findIndex((e) => e.id === id);
    if (index < 0) return null;
    if (index === 0 && this.#entries[0]!.startedAt) {
      this.#entries[0]!.controller.abort();
      return 'signalled';
    }
    this.#entries.splice(index, 1);
    this.#changed();
    return 'dequeued';
  }

  /** The job of a run, if it is queued or running. */
  findByRun(runId: number): JobInfo | null {
    const entry = this.#entries.find((e) => e.runId === runId);
    return entry ? info(entry) : null;
  }

  list(): JobInfo[] {
    return this.#entries.map(info);
  }

  /** Settles when the queue is empty. */
  idle(): Promise<void> {
    return this.#idle;
  }

  async #runNext(): Promise<void> {
    const entry = this.#entries[0];
    if (!entry) {
      this.#settleIdle?.();
      return;
    }
    entry.startedAt = new Date().toISOString();
    this.#changed();
    try {
      await entry.execute(entry.controller.signal);
    } catch (err) {
      process.stderr.write(`FixRes Lab: job "${entry.label}" failed outside its handler: ${(err as Error).message}\n`);
    }
    this.#entries.shift();
    this.#changed();
    void this.#runNext();
  }

  #changed(): void {
    this.#onChange(this.list());
  }
}

function info(e: Entry): JobInfo {
  return {
    id: e.id,
    kind: e.kind,
    label: e.label,
    runId: e.runId,
    state: e.startedAt ? 'running' : 'queued',
    queuedAt: e.queuedAt,
    startedAt: e.startedAt,
  };
}
