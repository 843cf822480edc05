/**
 * One engine's share of `npm run bench:sweep-split`, in its own process: the real sweep job
 * (`runSweep`: per K_test, the data pipeline with the test transform over the JPEG folder, the
 * BN-folded forward with pooled features, activation statistics and a Fréchet fit) on wasm with
 * `--threads` XNNPACK threads. Prints one JSON row: job wall seconds and process CPU seconds.
 *   tsx bench/sweep-case.ts --ckpt <dir> --dir <images> --k-tests 16,20,… --threads 1 [--workers N] [--decode-once <dir>]
 *   tsx bench/sweep-case.ts --make-ckpt <dir>      (writes a resnet-mini checkpoint for 10 classes)
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { selectBackend } from '../src/engine/backend/select-backend';
import { saveCheckpoint } from '../src/engine/checkpoint/checkpoint';
import { openBatchSource } from '../src/engine/data/open-batch-source';
import { runSweep } from '../src/engine/fixres/sweep-job';
import { createModel } from '../src/engine/models/create-model';
import { emptyTotals } from '../src/engine/train/loop-state';
import { IMAGENET_NORMALIZE } from '../src/shared/jobs/data-spec';
import { ensureBenchImages } from './data-images';

const { values } = parseArgs({
  options: {
    'make-ckpt': { type: 'string' },
    ckpt: { type: 'string' },
    dir: { type: 'string' },
    images: { type: 'string', default: '320' },
    'k-tests': { type: 'string', default: '32' },
    threads: { type: 'string', default: '1' },
    batch: { type: 'string', default: '64' },
    workers: { type: 'string' },
    /** Decode each image once per sweep, spilling the copies under this folder (the product's sweeps do). */
    'decode-once': { type: 'string' },
  },
});
const CLASSES = Array.from({ length: 10 }, (_, i) => `c${i}`);
const processStarted = performance.timeOrigin;

if (values['make-ckpt']) {
  await selectBackend({ force: 'wasm', wasmThreads: 1 });
  const model = createModel({ arch: 'resnet-mini', numClasses: CLASSES.length, width: 1, seed: 1 });
  await saveCheckpoint(values['make-ckpt'], {
    model,
    slots: {},
    state: { epoch: 1, batch: 0, partial: emptyTotals() },
    seed: 1,
    configKey: 'bench',
  });
  process.exit(0);
}

const names = await ensureBenchImages(values.dir!, Number(values.images));
const backend = await selectBackend({ force: 'wasm', wasmThreads: Number(values.threads) });
const kTests = values['k-tests'].split(',').map(Number);
/** CPU seconds of the main thread alone (Linux /proc; utime + stime in USER_HZ = 100 ticks). */
function mainThreadCpu(): number {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const cpu0 = process.cpuUsage();
const main0 = mainThreadCpu();
const started = performance.now();
const result = await runSweep(
  {
    model: { kind: 'checkpoint', dir: values.ckpt! },
    val: {
      root: values.dir!,
      classNames: CLASSES,
      items: names.map((relPath, i) => ({ relPath, label: i % 10 })),
      transform: { kind: 'test', k: kTests[0]!, cropPct: 0.875, interpolation: 'bilinear' },
      normalize: IMAGENET_NORMALIZE,
      seed: 1,
    },
    kTests,
    batchSize: Number(values.batch),
    activations: { reservoir: 20_000, seed: 0, xi: 0.3, freeXi: false },
    adapt: null,
    featureBudgetMb: 512,
    // Disk only, as the lab asks (src/lab/sweeps/sweep-inputs.ts).
    decodeOnce: values['decode-once']
      ? { dir: values['decode-once'], memoryMb: 0, diskMb: 4096, estimatedBytes: names.length * 500 * 375 * 3 }
      : null,
  },
  {
    signal: new AbortController().signal,
    progress: () => undefined,
    openSource: (spec) => openBatchSource(spec, values.workers === undefined ? {} : { workers: Number(values.workers) }),
  },
);
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({
    threads: backend.threads,
    k_tests: kTests,
    points: result.points.length,
    decoding: result.decoding.mode,
    job_s: (performance.now() - started) / 1000,
    startup_s: started / 1000,
    started_at: processStarted + started,
    cpu_s: (cpu.user + cpu.system) / 1e6,
    main_cpu_s: mainThreadCpu() - main0,
    process_cpu_s: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    peak_rss_mb: result.peakRssMb,
    load_1min: os.loadavg()[0],
  })}\n`,
);
process.exit(0);
