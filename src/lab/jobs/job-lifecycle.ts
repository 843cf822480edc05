import { isActiveStatus } from '../../shared/api/runs';
import { errorCodeOf, toErrorInfo, userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import type { JobQueue } from './job-queue';
import { ProgressThrottle } from './progress-throttle';
import { UnsavedEnds } from './unsaved-ends';

/** How a job that threw ends: cancelled when it was stopped, interrupted when its engine died (resumable), else failed. */
export interface JobFailure {
  status: 'cancelled' | 'interrupted' | 'failed';
  /** Why, for the user; null for a cancel. */
  error: string | null;
}

/** The failure a thrown error means, read from its code (shared/errors.ts), never from its message. */
export function failureOf(err: unknown): JobFailure {
  const code = errorCodeOf(err);
  if (code === 'Cancelled') return { status: 'cancelled', error: null };
  return { status: code === 'Interrupted' ? 'interrupted' : 'failed', error: toErrorInfo(err).message };
}

/** Refuses to resume a job that is queued or running (Busy) or has completed (Conflict); `what` names it ("Run 4"). */
export function assertResumable(what: string, status: string): void {
  if (isActiveStatus(status)) throw userError(`${what} is already ${status}`, 'id', 'Busy');
  if (status === 'completed') throw userError(`${what} has completed; there is nothing to resume`, 'id', 'Conflict');
}

/** A job's view of its own run: the signal that fires on cancel, and the seconds since it started. */
export interface JobContext {
  signal: AbortSignal;
  seconds(): number;
}

/** What one start (or resume) of a job does. */
export interface JobWork<End> {
  /** Does the work and returns the end to store (null: the work stored it). What it throws ends it as `failedEnd(failureOf(err))`. */
  run(job: JobContext): Promise<End | null>;
  /** The end to store for a failure (or a cancel before it started); null stores nothing. */
  failedEnd(failure: JobFailure, job: JobContext): End | null;
  /** Through the compute queue (one job at a time); absent: starts at once. */
  queue?: { kind: string; label: string; runId: number | null };
}

export interface JobLifecycleOptions<End> {
  db: Db;
  /** Writes a job's end to its row; throws when the database refuses (the end is then kept, see UnsavedEnds). */
  writeEnd(id: number, end: End): void;
  /** Whether the job's row still exists (it may have been deleted while it ran). */
  exists(id: number): boolean;
  /** Tells the clients the job changed (its `*.updated` event); called once it has ended. */
  emitUpdated(id: number): void;
  queue?: JobQueue;
}

interface Active {
  stop(): 'dequeued' | 'signalled' | null;
  /** Ends a job taken off the queue before it ran. */
  dequeued(): void;
}

/**
 * The lifecycle every job shares — runs, sweeps, workflows and dataset scans: started or queued,
 * running, then ended exactly once (completed, failed, cancelled or interrupted); its end stored,
 * or kept and shown when the database refuses it; clients told; waiters released; its progress
 * throttled. Each service states only what differs: the work, and the row it ends.
 */
export class JobLifecycle<End extends { status: string; error?: string | null }> {
  #o: JobLifecycleOptions<End>;
  #active = new Map<number, Active>();
  #waiters = new Map<number, (() => void)[]>();
  /** Ends a full or read-only database refused: shown at once, written when it takes writes again. */
  readonly ends: UnsavedEnds<End>;
  readonly progress = new ProgressThrottle();

  constructor(options: JobLifecycleOptions<End>) {
    this.#o = options;
    this.ends = new UnsavedEnds(options.writeEnd);
  }

  /** Starts job `id` (or queues it); its end is stored and announced when `work` settles. */
  launch(id: number, work: JobWork<End>): void {
    if (this.#active.has(id)) throw new Error(`Job ${id} is already active`);
    const queue = this.#o.queue;
    if (work.queue && queue) {
      const queued = queue.enqueue({ ...work.queue, execute: (signal) => this.#execute(id, work, signal) });
      const notStarted: JobContext = { signal: AbortSignal.abort(), seconds: () => 0 };
      this.#active.set(id, {
        stop: () => queue.cancel(queued),
        dequeued: () => this.#end(id, work.failedEnd(CANCELLED, notStarted)),
      });
    } else {
      const controller = new AbortController();
      this.#active.set(id, { stop: () => (controller.abort(), 'signalled'), dequeued: () => undefined });
      void this.#execute(id, work, controller.signal);
    }
  }

  /** Whether job `id` is queued or running in this lab. */
  isActive(id: number): boolean {
    return this.#active.has(id);
  }

  /** Cancels job `id`: a queued one ends at once (cancelled), a running one gets its signal. Null: it is not active. */
  cancel(id: number): 'dequeued' | 'signalled' | null {
    const active = this.#active.get(id);
    const outcome = active?.stop() ?? null;
    if (outcome === 'dequeued') active!.dequeued();
    return outcome;
  }

  /** Settles once job `id` is not active in this lab (at once if it is not), after its end was stored and announced. */
  settled(id: number): Promise<void> {
    if (!this.#active.has(id)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.set(id, [...(this.#waiters.get(id) ?? []), resolve]));
  }

  async #execute(id: number, work: JobWork<End>, signal: AbortSignal): Promise<void> {
    const started = performance.now();
    const job: JobContext = { signal, seconds: () => (performance.now() - started) / 1000 };
    let end: End | null;
    try {
      end = await work.run(job);
    } catch (err) {
      end = this.#o.db.open ? work.failedEnd(failureOf(err), job) : null;
    }
    this.#end(id, end);
  }

  /** Stores the end (unless the lab closed or the row is gone), then tells clients and waiters. */
  #end(id: number, end: End | null): void {
    this.#active.delete(id);
    this.progress.forget(id);
    try {
      if (!this.#o.db.open) return; // the lab closed under the job; the next lone lab marks it interrupted
      if (end) this.ends.save(id, end); // never throws: a refused end is kept and shown (UnsavedEnds)
      if (this.#o.exists(id)) this.#o.emitUpdated(id);
    } catch (err) {
      // A database that refuses even reads; waiters read what they can.
      process.stderr.write(`FixRes Lab: the end of job ${id} could not be announced: ${(err as Error).message}\n`);
    } finally {
      for (const resolve of this.#waiters.get(id) ?? []) resolve();
      this.#waiters.delete(id);
    }
  }
}

const CANCELLED: JobFailure = { status: 'cancelled', error: null };
