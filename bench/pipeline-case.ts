/**
 * One case of `npm run bench:pipeline`, in its own process: the real train job (`runTraining`,
 * wasm with the app's default threads, resnet-mini) for a fixed number of epochs, fed either by
 * the data pipeline (`openBatchSource` with the app's default workers and prefetch, over a folder
 * of JPEGs, decode cache on or off) or by batches made in memory beforehand. Prints one JSON row.
 *   tsx bench/pipeline-case.ts --mode tensors|decode|cache[-nocarry] --k 32 --dir <images> --images 320 --epochs 4
 */
import { benchTrainInput } from './bench-train-input';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '../src/engine/backend/select-backend';
import type { BatchSource } from '../src/engine/data/batch';
import { openBatchSource, type BatchSourceOptions } from '../src/engine/data/open-batch-source';
import { runTraining } from '../src/engine/train/run-training';
import type { DataSpec } from '../src/shared/jobs/data-spec';
import type { EpochSummary } from '../src/shared/jobs/train';
import { benchSpec, ensureBenchImages } from './data-images';
import { premadeSource, timedSource, type WaitLog } from './pipeline-sources';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'decode' },
    k: { type: 'string', default: '32' },
    dir: { type: 'string', default: join(tmpdir(), 'fixres-bench-pipeline') },
    images: { type: 'string', default: '320' },
    epochs: { type: 'string', default: '4' },
    batch: { type: 'string', default: '32' },
    workers: { type: 'string' },
    prefetch: { type: 'string' },
  },
});
const [mode, variant] = values.mode.split('-') as ['tensors' | 'decode' | 'cache', 'nocarry' | undefined];
const k = Number(values.k);
const batchSize = Number(values.batch);
const epochs = Number(values.epochs);

/** CPU seconds (user + system) of the main thread alone, from /proc (Linux). */
function mainThreadCpu(): number {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}
const processCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const names = await ensureBenchImages(values.dir, Number(values.images));
const base = benchSpec(values.dir, names, k);
// Ten labels (the scene generator's classes), so the loss is a real 10-way cross-entropy.
const spec: DataSpec = {
  ...base,
  classNames: Array.from({ length: 10 }, (_, i) => `c${i}`),
  items: names.map((relPath, i) => ({ relPath, label: i % 10 })),
  ...(mode === 'cache' ? { cache: {} } : {}),
};
const sourceOptions: BatchSourceOptions = {
  ...(values.workers === undefined ? {} : { workers: Number(values.workers) }),
  ...(values.prefetch === undefined ? {} : { prefetch: Number(values.prefetch) }),
};
const backend = await selectBackend({ force: 'wasm' });
const waits: WaitLog = { ms: [], stepStarts: [] };
const epochMarks: { cpu: number; main: number; wall: number }[] = [];
const summaries: EpochSummary[] = [];
const work = mkdtempSync(join(tmpdir(), 'fixres-pipeline-'));
const openSource = async (s: DataSpec): Promise<BatchSource> =>
  timedSource(
    mode === 'tensors' ? premadeSource(s, batchSize) : await openBatchSource(s, sourceOptions),
    waits,
    () => epochMarks.push({ cpu: processCpu(), main: mainThreadCpu(), wall: performance.now() }),
    variant !== 'nocarry',
  );
const load = os.loadavg()[0]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
try {
  const result = await runTraining(
    benchTrainInput({ train: spec, val: null, epochs, batchSize, checkpointDir: join(work, 'ckpt') }),
    {
      signal: new AbortController().signal,
      openSource,
      progress: (p) => {
        if (p.type === 'epoch') summaries.push(p.summary);
      },
    },
  );
  // Epoch 0 compiles wasm kernels and (cache mode) fills the cache: measure epochs 1…n−1.
  const measured = summaries.slice(1).map((s) => s.train);
  const seconds = measured.reduce((a, m) => a + m.seconds, 0);
  const images = measured.reduce((a, m) => a + m.imgPerSec * m.seconds, 0);
  // Marks come in (start, end) pairs per epoch; CPU rates cover the measured epochs' training only.
  const spans = summaries.slice(1).map((_, i) => [epochMarks[2 * (i + 1)]!, epochMarks[2 * (i + 1) + 1]!] as const);
  const spanS = spans.reduce((a, [s, e]) => a + (e.wall - s.wall) / 1000, 0);
  const cpuS = spans.reduce((a, [s, e]) => a + e.cpu - s.cpu, 0);
  const mainS = spans.reduce((a, [s, e]) => a + e.main - s.main, 0);
  const measuredWaits = waits.ms.slice(waits.stepStarts[1]);
  process.stdout.write(
    `${JSON.stringify({
      mode: values.mode,
      k,
      batch: batchSize,
      backend: backend.name,
      threads: backend.threads,
      epochs,
      steps_measured: measuredWaits.length,
      train_img_s: images / seconds,
      epoch0_img_s: summaries[0]!.train.imgPerSec,
      wait_ms_per_batch: measuredWaits.reduce((a, b) => a + b, 0) / Math.max(1, measuredWaits.length),
      // The first batch of an epoch has nothing prefetched for it; the rest show whether the pipeline keeps up.
      first_wait_ms: mean(waits.stepStarts.slice(1).map((i) => waits.ms[i]!)),
      later_wait_ms: mean(waits.ms.filter((_, i) => i >= waits.stepStarts[1]! && !waits.stepStarts.includes(i))),
      process_cpu_per_wall: cpuS / spanS,
      main_cpu_per_wall: mainS / spanS,
      load_1min: load,
      load_1min_end: os.loadavg()[0],
      peak_rss_mb: result.peakRssMb,
    })}\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);
