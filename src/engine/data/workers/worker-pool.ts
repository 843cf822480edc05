import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LabError } from '../../../shared/errors';
import type { RenderReply, RenderRequest, WorkerInit } from './messages';

/** One worker per spare core (the engine's main thread runs tfjs), at most 4. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * How to start a worker: the bundled `sample-worker.js` next to the built engine, else the
 * TypeScript source through tsx's loader (CLI, tests, web mode from source), registered by a
 * tiny bootstrap because `--import` in a worker's execArgv is not honoured. Paths are built at
 * run time so the bundler leaves them alone.
 */
function workerEntry(): { code: string | URL; eval: boolean } {
  const here = import.meta.url;
  const builtName = ['sample-worker', 'js'].join('.');
  // The bundler may put this code in a chunk one folder below the entries.
  const built = [new URL(`./${builtName}`, here), new URL(`../${builtName}`, here)].find((u) => existsSync(fileURLToPath(u)));
  if (!here.endsWith('.ts') && built) return { code: built, eval: false };
  const source = new URL(`./${['sample-worker', 'ts'].join('.')}`, here).href;
  // The ESM flavour of tsx's API (require.resolve picks the CommonJS one, which fails in an eval'd worker).
  const tsxApi = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`;
  return { code, eval: true };
}

interface Pending {
  waiting: number;
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Sample workers for one BatchSource. Item i always goes to worker i mod n (each keeps its own
 * decoded cache, so nothing is cached twice); a batch is done when every worker has written its
 * slots into the shared buffer.
 */
export class WorkerPool {
  #workers: Worker[];
  #pending = new Map<number, Pending>();
  #nextId = 0;
  #failed: Error | null = null;

  constructor(init: WorkerInit, count: number) {
    const entry = workerEntry();
    this.#workers = Array.from({ length: count }, () => {
      const worker = new Worker(entry.code, { workerData: init, eval: entry.eval });
      worker.on('message', (reply: RenderReply) => this.#onReply(reply));
      worker.on('error', (err) =>
        this.#fail(new LabError({ name: 'DataWorkerFailed', code: 'Internal', message: `A data worker failed: ${err.message}` })),
      );
      worker.on('exit', (code) => {
        if (code !== 0)
          this.#fail(
            new LabError({ name: 'DataWorkerFailed', code: 'Internal', message: `A data worker stopped (exit code ${code})` }),
          );
      });
      return worker;
    });
  }

  get size(): number {
    return this.#workers.length;
  }

  /** Renders the batch's items (positions = item indices in batch order) into `buffer`. */
  render(epoch: number, positions: Int32Array, buffer: SharedArrayBuffer, stride: number): Promise<void> {
    if (this.#failed) return Promise.reject(this.#failed);
    const n = this.#workers.length;
    const parts = Array.from({ length: n }, () => [] as number[]);
    positions.forEach((index, slot) => parts[index % n]!.push(slot, index));
    const id = this.#nextId++;
    const busy = parts.filter((p) => p.length);
    return new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { waiting: busy.length, resolve, reject });
      parts.forEach((slots, w) => {
        if (!slots.length) return;
        const request: RenderRequest = { id, epoch, slots: Int32Array.from(slots), buffer, stride };
        this.#workers[w]!.postMessage(request);
      });
    });
  }

  async close(): Promise<void> {
    this.#fail(new LabError({ name: 'Closed', code: 'Internal', message: 'The batch source is closed' }));
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  #onReply(reply: RenderReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    if (!reply.ok) {
      this.#pending.delete(reply.id);
      pending.reject(new LabError(reply.error));
    } else if (--pending.waiting === 0) {
      this.#pending.delete(reply.id);
      pending.resolve();
    }
  }

  #fail(err: Error): void {
    this.#failed ??= err;
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }
}
