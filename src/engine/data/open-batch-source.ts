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
  /** Batches being made: close() waits for them, so no render touches the files (or a cache folder) afterwards. */
  const inFlight = new Set<Promise<Batch>>();

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

  interface PlannedEpoch {
    epoch: number;
    batchSize: number;
    dropLast: boolean;
    total: number;
    next: number;
    /** Batches being made, in order. */
    queue: Promise<Batch>[];
    /** Starts making batch `next` (and advances it). */
    start(): Promise<Batch>;
  }

  /** An epoch's batch order from `startBatch`, with nothing started yet. */
  function plan(epoch: number, batchSize: number, dropLast: boolean, startBatch: number): PlannedEpoch {
    const order = epochOrder(spec.items.length, spec.seed, epoch, shuffle);
    const planned: PlannedEpoch = {
      epoch,
      batchSize,
      dropLast,
      total: batchCount(order.length, batchSize, dropLast),
      next: startBatch,
      queue: [],
      start() {
        const b = planned.next++;
        const p = makeBatch(epoch, order.slice(b * batchSize, Math.min((b + 1) * batchSize, order.length)));
        inFlight.add(p);
        // Awaited in order by the consumer; this only stops an abandoned prefetch from being "unhandled".
        p.catch(() => undefined).finally(() => inFlight.delete(p));
        return p;
      },
    };
    return planned;
  }

  /** The next epoch's first batches, started while the previous epoch ended (see EpochOptions.nextEpoch). */
  let carried: PlannedEpoch | null = null;

  return {
    numItems: spec.items.length,
    numClasses: spec.classNames.length,
    k,
    batchesPerEpoch: ({ batchSize, dropLast = false }) => batchCount(spec.items.length, batchSize, dropLast),
    async *epoch(epoch: number, epochOptions: EpochOptions): AsyncGenerator<Batch> {
      const { batchSize, startBatch = 0, dropLast = false, signal, nextEpoch } = epochOptions;
      if (!Number.isInteger(batchSize) || batchSize <= 0) {
        throw userError(`batchSize must be a positive integer, got ${batchSize}`, 'batchSize');
      }
      const warm = carried?.epoch === epoch && carried.batchSize === batchSize && carried.dropLast === dropLast;
      const current = warm && startBatch === 0 ? carried! : plan(epoch, batchSize, dropLast, startBatch);
      carried = null;
      const { queue } = current;
      let ahead: PlannedEpoch | null = null;
      const fill = () => {
        while (queue.length < prefetch && current.next < current.total) queue.push(current.start());
        if (nextEpoch === undefined || current.next < current.total) return;
        // Every batch of this epoch is on its way: spend the free prefetch slots on the next one's first batches.
        ahead ??= plan(nextEpoch, batchSize, dropLast, 0);
        while (queue.length + ahead.queue.length < prefetch && ahead.next < ahead.total) ahead.queue.push(ahead.start());
      };
      fill();
      while (queue.length) {
        if (closed) throw userError('The batch source is closed');
        if (signal?.aborted) throw abortError();
        const batch = await queue.shift()!;
        fill();
        yield batch;
      }
      carried = ahead;
    },
    async close() {
      closed = true;
      await pool?.close();
      await Promise.allSettled([...inFlight]);
    },
  };
}

function validateSpec(spec: DataSpec): void {
  const k = spec.transform.k;
  if (!Number.isInteger(k) || k <= 0 || k > 4096) {
    throw userError(`transform.k must be an integer from 1 to 4096, got ${k}`, 'transform.k');
  }
  const side = spec.cache?.shortSide;
  if (side !== undefined && side !== 'original' && !(Number.isInteger(side) && side >= 0)) {
    throw userError(`cache.shortSide must be 'original' or a whole number of pixels ≥ 0, got ${side}`, 'cache.shortSide');
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
