import { batchCount } from '../src/core/epoch-order';
import { streamFor } from '../src/core/rng';
import type { Batch, BatchSource } from '../src/engine/data/batch';
import type { DataSpec } from '../src/shared/jobs/data-spec';

/** Milliseconds the consumer waited for each batch, and where each epoch's waits start. */
export interface WaitLog {
  ms: number[];
  stepStarts: number[];
}

/**
 * The batches the pipeline would produce, in shape (size × K × K × 3, normalised range, same
 * labels), made once in memory before training: training on them costs only the upload.
 */
export function premadeSource(spec: DataSpec, batchSize: number): BatchSource {
  const k = spec.transform.k;
  const n = spec.items.length;
  const total = batchCount(n, batchSize, true);
  const rng = streamFor(7, k);
  const batches: Batch[] = Array.from({ length: total }, (_, b) => {
    const indices = Int32Array.from({ length: batchSize }, (_, i) => b * batchSize + i);
    const pixels = new Float32Array(batchSize * k * k * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (rng.uniform() - 0.45) * 4;
    return { pixels, labels: indices.map((i) => spec.items[i]!.label), size: batchSize, k, indices };
  });
  return {
    numItems: n,
    numClasses: spec.classNames.length,
    k,
    batchesPerEpoch: ({ batchSize: size, dropLast = false }) => batchCount(n, size, dropLast),
    async *epoch(_epoch, { startBatch = 0 }) {
      for (let b = startBatch; b < total; b++) yield batches[b]!;
    },
    async close() {},
  };
}

/**
 * Wraps a source to record how long the consumer waits for each batch (the time `next()` takes),
 * and calls `mark` when each epoch starts and ends. `carry: false` withholds `nextEpoch`, so every
 * epoch starts cold (the pipeline before it carried prefetching across epochs).
 */
export function timedSource(source: BatchSource, log: WaitLog, mark: () => void, carry = true): BatchSource {
  return {
    numItems: source.numItems,
    numClasses: source.numClasses,
    k: source.k,
    batchesPerEpoch: (o) => source.batchesPerEpoch(o),
    epoch(epoch, options) {
      return {
        async *[Symbol.asyncIterator]() {
          log.stepStarts.push(log.ms.length);
          mark();
          const { nextEpoch, ...rest } = options;
          const it = source
            .epoch(epoch, carry && nextEpoch !== undefined ? { ...rest, nextEpoch } : rest)
            [Symbol.asyncIterator]();
          for (;;) {
            const t0 = performance.now();
            const next = await it.next();
            if (next.done) break;
            log.ms.push(performance.now() - t0);
            yield next.value;
          }
          mark();
        },
      };
    },
    close: () => source.close(),
  };
}
