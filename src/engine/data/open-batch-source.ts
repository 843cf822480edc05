import { batchCount, epochOrder } from '../../core/epoch-order';
import { userError } from '../../shared/errors';
import type { DataSpec } from '../../shared/jobs/data-spec';
import type { Batch, BatchSource, EpochOptions } from './batch';
import { resolveCacheOptions } from './cache/cache-options';
import { SampleRenderer } from './sample-renderer';
import { defaultWorkerCount, WorkerPool } from './workers/worker-pool';

export interface BatchSourceOptions {
  /** Sample worker threads; 0 renders on the calling thread. Default: one per spare core (≤ 4). */
  workers?: number;
  /** Batches prepared ahead of the consumer (default 2). */
  prefetch?: number;
}

/** Samples rendered at once on the calling thread when there are no workers. */
const IN_PROCESS_CONCURRENCY = 4;

/**
 * Opens a DataSpec as a BatchSource: float32 NHWC batches, normalised, with labels and item
 * indices. Order and augmentation depend only on (seed, epoch, index), so a resume with
 * `startBatch` yields exactly the batches an uninterrupted epoch would have — with or without
 * workers and cache. Worker threads render the next batches while the caller trains.
 */
export async function openBatchSource(spec: DataSpec, options: BatchSourceOptions = {}): Promise<BatchSource> {
  validateSpec(spec);
  const workers = options.workers ?? defaultWorkerCount();
  const prefetch = Math.max(1, options.prefetch ?? 2);
  const cache = resolveCacheOptions(spec, Math.max(1, workers));
  const local = new SampleRenderer(spec, cache);
  await local.open();
  const pool = workers > 0 ? new WorkerPool({ spec, cache }, workers) : null;
  const k = spec.transform.k;
  const stride = k * k * 3;
  const shuffle = spec.shuffle ?? spec.transform.kind !== 'test';
  const labels = Int32Array.from(spec.items, (item) => item.label);
  let closed = false;

  async function renderLocally(epoch: number, positions: Int32Array, pixels: Float32Array): Promise<void> {
    let next = 0;
    const lane = async (): Promise<void> => {
      for (let i = next++; i < positions.length; i = next++) await local.renderInto(pixels, i * stride, positions[i]!, epoch);
    };
    await Promise.all(Array.from({ length: Math.min(IN_PROCESS_CONCURRENCY, positions.length) }, lane));
  }

  async function makeBatch(epoch: number, positions: Int32Array): Promise<Batch> {
    let pixels: Float32Array;
    if (pool) {
      const buffer = new SharedArrayBuffer(positions.length * stride * 4);
      await pool.render(epoch, positions, buffer, stride);
      pixels = new Float32Array(buffer);
    } else {
      pixels = new Float32Array(positions.length * stride);
      await renderLocally(epoch, positions, pixels);
    }
    return { pixels, labels: positions.map((p) => labels[p]!), size: positions.length, k, indices: positions };
  }

  return {
    numItems: spec.items.length,
    numClasses: spec.classNames.length,
    k,
    batchesPerEpoch: ({ batchSize, dropLast = false }) => batchCount(spec.items.length, batchSize, dropLast),
    async *epoch(epoch: number, epochOptions: EpochOptions): AsyncGenerator<Batch> {
      const { batchSize, startBatch = 0, dropLast = false, signal } = epochOptions;
      if (!Number.isInteger(batchSize) || batchSize <= 0) {
        throw userError(`batchSize must be a positive integer, got ${batchSize}`, 'batchSize');
      }
      const order = epochOrder(spec.items.length, spec.seed, epoch, shuffle);
      const total = batchCount(order.length, batchSize, dropLast);
      const queue: Promise<Batch>[] = [];
      let next = startBatch;
      const fill = () => {
        while (queue.length < prefetch && next < total) {
          const b = next++;
          const p = makeBatch(epoch, order.slice(b * batchSize, Math.min((b + 1) * batchSize, order.length)));
          p.catch(() => undefined); // awaited in order below; this only stops an abandoned prefetch from being "unhandled"
          queue.push(p);
        }
      };
      fill();
      while (queue.length) {
        if (closed) throw userError('The batch source is closed');
        if (signal?.aborted) throw abortError();
        const batch = await queue.shift()!;
        fill();
        yield batch;
      }
    },
    async close() {
      closed = true;
      await pool?.close();
    },
  };
}

function validateSpec(spec: DataSpec): void {
  const k = spec.transform.k;
  if (!Number.isInteger(k) || k <= 0 || k > 4096) {
    throw userError(`transform.k must be an integer from 1 to 4096, got ${k}`, 'transform.k');
  }
  const n = spec.classNames.length;
  spec.items.forEach((item, i) => {
    if (!Number.isInteger(item.label) || item.label < 0 || item.label >= n) {
      throw userError(`items[${i}].label ${item.label} is not a class index (0..${n - 1})`, `items.${i}.label`);
    }
  });
}

function abortError(): Error {
  const err = new Error('Data loading cancelled');
  err.name = 'AbortError';
  return err;
}
