import { randomUUID } from 'node:crypto';
import {
  describeIssue,
  ENGINE_BROKEN_ERRORS,
  FromEngine,
  type EngineJobs,
  type JobKind,
  type ToEngine,
} from '../../shared/engine-protocol';
import { LabError } from '../../shared/errors';
import type { EngineChannel, SpawnEngine } from './engine-channel';
import { engineExitError } from './engine-exit';

interface PendingJob {
  /** The process running it. */
  channel: EngineChannel;
  resolve(result: unknown): void;
  reject(err: Error): void;
  onProgress?(progress: unknown): void;
  /** Why the lab gave up on the job (its progress could not be recorded); it fails with this once the engine stops it. */
  failure?: Error;
}

export interface RunOptions<P> {
  onProgress?(progress: P): void;
  signal?: AbortSignal;
}

/**
 * Owns one engine process: starts it on first use, routes messages to jobs, and when the
 * process dies fails its running jobs with a clear error and starts a fresh one for the next.
 * A process whose job ran out of memory or whose WebAssembly runtime trapped is retired: the next
 * job goes to a fresh one, and it is stopped once its other jobs (if any) have ended.
 */
export class EngineHost {
  #spawn: SpawnEngine;
  #label: string;
  #channel: EngineChannel | null = null;
  #jobs = new Map<string, PendingJob>();
  /** Processes that take no new jobs and stop when their last job ends. */
  #retiring = new Set<EngineChannel>();

  /** `label` names the process in error messages ("compute engine"). */
  constructor(spawn: SpawnEngine, label = 'engine') {
    this.#spawn = spawn;
    this.#label = label;
  }

  run<K extends JobKind>(
    kind: K,
    input: EngineJobs[K]['input'],
    options: RunOptions<EngineJobs[K]['progress']> = {},
  ): Promise<EngineJobs[K]['result']> {
    const jobId = randomUUID();
    const channel = this.#ensureChannel();
    const signal = options.signal;
    const cancel = () => channel.send({ type: 'cancel', jobId });
    // The listener goes when the job ends, so a long-lived signal does not collect one per job.
    const settled =
      <T>(fn: (value: T) => void) =>
      (value: T) => {
        signal?.removeEventListener('abort', cancel);
        fn(value);
      };
    return new Promise((resolve, reject) => {
      this.#jobs.set(jobId, {
        channel,
        resolve: settled(resolve as (r: unknown) => void),
        reject: settled(reject),
        onProgress: options.onProgress as (p: unknown) => void,
      });
      signal?.addEventListener('abort', cancel, { once: true });
      channel.send({ type: 'start', jobId, kind, input } as ToEngine);
    });
  }

  /** Kills the engine process; running jobs fail. */
  stop(): void {
    this.#channel?.kill();
    for (const channel of this.#retiring) channel.kill();
  }

  #ensureChannel(): EngineChannel {
    if (this.#channel) return this.#channel;
    const channel = this.#spawn();
    channel.onMessage((m) => this.#onMessage(channel, m));
    channel.onExit((exit) => {
      if (this.#channel === channel) this.#channel = null;
      this.#retiring.delete(channel);
      const error = engineExitError(this.#label, exit);
      for (const [jobId, job] of this.#jobs) {
        if (job.channel !== channel) continue;
        this.#jobs.delete(jobId);
        job.reject(job.failure ?? error);
      }
    });
    this.#channel = channel;
    return channel;
  }

  #onMessage(channel: EngineChannel, raw: unknown): void {
    const parsed = FromEngine.safeParse(raw);
    if (!parsed.success) {
      this.#refuse(raw, describeIssue(parsed.error));
      return;
    }
    const message = parsed.data;
    if (message.type === 'ready') return;
    if (message.type === 'refused') {
      process.stderr.write(`FixRes Lab: the ${this.#label} refused a message: ${message.reason}\n`);
      return;
    }
    const job = this.#jobs.get(message.jobId);
    if (!job) return;
    if (message.type === 'progress') {
      if (!job.failure) this.#deliver(message.jobId, job, message.progress);
      return;
    }
    this.#jobs.delete(message.jobId);
    // Before the job's owner hears of it: the next job it starts must already go to a fresh process.
    if (message.type === 'error' && ENGINE_BROKEN_ERRORS.has(message.error.name)) this.#retire(channel);
    if (this.#retiring.has(channel) && ![...this.#jobs.values()].some((j) => j.channel === channel)) channel.kill();
    if (job.failure) job.reject(job.failure);
    else if (message.type === 'result') job.resolve(message.result);
    else job.reject(new LabError(message.error));
  }

  #retire(channel: EngineChannel): void {
    if (this.#channel === channel) this.#channel = null;
    this.#retiring.add(channel);
  }

  /**
   * A message that fails the protocol's schema is never routed. If it names a running job, that
   * job fails now (the engine may never send its end in a readable form) and is cancelled there.
   */
  #refuse(raw: unknown, why: string): void {
    const jobId = typeof raw === 'object' && raw !== null ? (raw as { jobId?: unknown }).jobId : undefined;
    const job = typeof jobId === 'string' ? this.#jobs.get(jobId) : undefined;
    const message = `The ${this.#label} sent a malformed message (${why})`;
    if (!job || typeof jobId !== 'string') {
      process.stderr.write(`FixRes Lab: ${message}; it was ignored.\n`);
      return;
    }
    this.#jobs.delete(jobId);
    job.channel.send({ type: 'cancel', jobId });
    job.reject(
      job.failure ??
        new LabError({ name: 'InvalidEngineMessage', code: 'Internal', message: `${message}; the job was stopped.` }),
    );
  }

  /**
   * Hands progress to the job's owner. If that throws (say the database refuses an epoch row
   * because the disk is full), the error must not escape into the process's message loop: the
   * job is cancelled in the engine and fails with that reason once the engine has stopped it.
   */
  #deliver(jobId: string, job: PendingJob, progress: unknown): void {
    try {
      job.onProgress?.(progress);
    } catch (err) {
      job.failure = err instanceof Error ? err : new Error(String(err));
      job.channel.send({ type: 'cancel', jobId });
    }
  }
}
