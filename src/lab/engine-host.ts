import { randomUUID } from 'node:crypto';
import type { EngineJobs, FromEngine, JobKind } from '../shared/engine-protocol';
import { LabError } from '../shared/errors';
import type { EngineChannel, SpawnEngine } from './engine-channel';

interface PendingJob {
  resolve(result: unknown): void;
  reject(err: Error): void;
  onProgress?(progress: unknown): void;
}

export interface RunOptions<P> {
  onProgress?(progress: P): void;
  signal?: AbortSignal;
}

/**
 * Owns one engine process: starts it on first use, routes messages to jobs, and when the
 * process dies fails its running jobs with a clear error and starts a fresh one for the next.
 */
export class EngineHost {
  #spawn: SpawnEngine;
  #channel: EngineChannel | null = null;
  #jobs = new Map<string, PendingJob>();

  constructor(spawn: SpawnEngine) {
    this.#spawn = spawn;
  }

  run<K extends JobKind>(
    kind: K,
    input: EngineJobs[K]['input'],
    options: RunOptions<EngineJobs[K]['progress']> = {},
  ): Promise<EngineJobs[K]['result']> {
    const jobId = randomUUID();
    const channel = this.#ensureChannel();
    const signal = options.signal;
    const cancel = () => this.#channel?.send({ type: 'cancel', jobId });
    // The listener goes when the job ends, so a long-lived signal does not collect one per job.
    const settled =
      <T>(fn: (value: T) => void) =>
      (value: T) => {
        signal?.removeEventListener('abort', cancel);
        fn(value);
      };
    return new Promise((resolve, reject) => {
      this.#jobs.set(jobId, {
        resolve: settled(resolve as (r: unknown) => void),
        reject: settled(reject),
        onProgress: options.onProgress as (p: unknown) => void,
      });
      signal?.addEventListener('abort', cancel, { once: true });
      channel.send({ type: 'start', jobId, kind, input } as never);
    });
  }

  /** Kills the engine process; running jobs fail. */
  stop(): void {
    this.#channel?.kill();
  }

  #ensureChannel(): EngineChannel {
    if (this.#channel) return this.#channel;
    const channel = this.#spawn();
    channel.onMessage((m) => this.#onMessage(m));
    channel.onExit((code) => {
      if (this.#channel === channel) this.#channel = null;
      const error = new LabError({
        name: 'EngineExited',
        message: `The compute engine stopped unexpectedly (exit code ${code ?? 'signal'}). It restarts for the next job.`,
      });
      for (const job of this.#jobs.values()) job.reject(error);
      this.#jobs.clear();
    });
    this.#channel = channel;
    return channel;
  }

  #onMessage(message: FromEngine): void {
    if (message.type === 'ready') return;
    const job = this.#jobs.get(message.jobId);
    if (!job) return;
    if (message.type === 'progress') job.onProgress?.(message.progress);
    else {
      this.#jobs.delete(message.jobId);
      if (message.type === 'result') job.resolve(message.result);
      else job.reject(new LabError(message.error));
    }
  }
}
