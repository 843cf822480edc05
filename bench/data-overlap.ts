/**
 * Does data loading overlap with training? A stand-in training step keeps the main thread busy
 * for a fixed time per batch (as tfjs does); we measure how long the loop waits for each next
 * batch, with the pipeline on worker threads vs on the main thread.
 *   tsx bench/data-overlap.ts <imageDir> <k> <stepMs>
 */
import { openBatchSource } from '../src/engine/data/open-batch-source';
import { benchSpec, ensureBenchImages } from './data-images';

const [dir, kArg, stepArg] = process.argv.slice(2) as [string, string, string];
const k = Number(kArg);
const stepMs = Number(stepArg);
const names = await ensureBenchImages(dir);
const spec = benchSpec(dir, names, k, { cache: { memoryMb: 1024 } }, 0.4);

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

for (const workers of [0, 1]) {
  const source = await openBatchSource(spec, { workers, prefetch: 2 });
  for await (const _ of source.epoch(0, { batchSize: 32 })) void _; // fill the cache
  let waited = 0;
  let batches = 0;
  const t0 = performance.now();
  for (let epoch = 1; epoch <= 2; epoch++) {
    const it = source.epoch(epoch, { batchSize: 32, dropLast: true })[Symbol.asyncIterator]();
    for (;;) {
      const w0 = performance.now();
      const next = await it.next();
      waited += performance.now() - w0;
      if (next.done) break;
      batches++;
      busy(stepMs);
    }
  }
  const total = performance.now() - t0;
  await source.close();
  process.stdout.write(
    `${JSON.stringify({ workers, k, step_ms: stepMs, batches, wait_ms_per_batch: waited / batches, wait_fraction: waited / total, img_s: (batches * 32 * 1000) / total })}\n`,
  );
}
