import { batchCount, epochOrder } from '../../core/epoch-order';
import { userError } from '../../shared/errors';
import type { DataSpec } from '../../shared/jobs/data-spec';
import type { Batch, BatchSource, EpochOptions } from './batch';
import { SampleLoader } from './sample-loader';

/** How many images one batch decodes at once (sharp decodes on libuv's thread pool). */
const DECODE_CONCURRENCY = 4;

/**
 * Opens a DataSpec as a BatchSource: float32 NHWC batches, normalised, with labels and item
 * indices. Order and augmentation depend only on (seed, epoch, index), so a resume with
 * `startBatch` yields exactly the batches an uninterrupted epoch would have.
 */
export async function openBatchSource(spec: DataSpec): Promise<BatchSource> {
  validateSpec(spec);
  const loader = new SampleLoader(spec);
  await loader.open();
  const k = spec.transform.k;
  const shuffle = spec.shuffle ?? spec.transform.kind !== 'test';
  const labels = Int32Array.from(spec.items, (item) => item.label);
  let closed = false;

  async function makeBatch(epoch: number, positions: Int32Array): Promise<Batch> {
    const size = positions.length;
    const stride = k * k * 3;
    const pixels = new Float32Array(size * stride);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < size; i = next++) await loader.loadInto(pixels, i * stride, positions[i]!, epoch);
    };
    await Promise.all(Array.from({ length: Math.min(DECODE_CONCURRENCY, size) }, worker));
    return { pixels, labels: positions.map((p) => labels[p]!), size, k, indices: positions };
  }

  return {
    numItems: spec.items.length,
    numClasses: spec.classNames.length,
    k,
    batchesPerEpoch: ({ batchSize, dropLast = false }) => batchCount(spec.items.length, batchSize, dropLast),
    async *epoch(epoch: number, options: EpochOptions): AsyncGenerator<Batch> {
      const { batchSize, startBatch = 0, dropLast = false, signal } = options;
      if (!Number.isInteger(batchSize) || batchSize <= 0)
        throw userError(`batchSize must be a positive integer, got ${batchSize}`, 'batchSize');
      const order = epochOrder(spec.items.length, spec.seed, epoch, shuffle);
      const total = batchCount(order.length, batchSize, dropLast);
      const slice = (b: number) => order.slice(b * batchSize, Math.min((b + 1) * batchSize, order.length));
      const start = (b: number) => {
        const p = makeBatch(epoch, slice(b));
        p.catch(() => undefined); // awaited below; this only stops an abandoned prefetch from being "unhandled"
        return p;
      };
      let pending = startBatch < total ? start(startBatch) : null;
      for (let b = startBatch; b < total && pending; b++) {
        if (closed) throw userError('The batch source is closed');
        if (signal?.aborted) throw abortError();
        const batch = await pending;
        // Prefetch the next batch while the consumer trains on this one.
        pending = b + 1 < total ? start(b + 1) : null;
        yield batch;
      }
    },
    async close() {
      closed = true;
    },
  };
}

function validateSpec(spec: DataSpec): void {
  const k = spec.transform.k;
  if (!Number.isInteger(k) || k <= 0 || k > 4096)
    throw userError(`transform.k must be an integer from 1 to 4096, got ${k}`, 'transform.k');
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
