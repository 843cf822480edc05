/**
 * One engine benchmark case in its own process (so peak RSS is the case's own):
 * `tsx bench/engine-case.ts <backend> <arch> <k> <batch> <seconds> [width] [--eval-batches N] [--folded-only] [--weights FILE]`
 * prints one JSON row (`--folded-only` skips the unfolded evaluation path, for slow devices).
 * Times the real training step (forward, loss, gradients, SGD update) and the real evaluation
 * pass on in-memory batches, so data decoding is not part of the numbers. With a weights file
 * (PyTorch's, imported as `fixres model import` does) only evaluation is timed.
 */
import { parseArgs } from 'node:util';
import { deviceLabel } from '../src/shared/backends';
import { BACKEND_LADDER, ensureBackend, type BackendName } from '../src/engine/backend/select-backend';
import type { Batch, BatchSource } from '../src/engine/data/batch';
import { evaluate } from '../src/engine/eval/evaluate';
import { openForwardPass } from '../src/engine/eval/open-forward';
import { ortThreads } from '../src/engine/onnx/ort-runtime';
import { createModel, type ArchName } from '../src/engine/models/create-model';
import { importTorchWeights } from '../src/engine/models/import-torch';
import { Sgd, trainableParams } from '../src/engine/train/sgd';
import { trainStep } from '../src/engine/train/train-step';

export interface EngineBenchRow {
  backend: string;
  /** Threads the backend computes with (wasm: XNNPACK's pool). */
  threads: number;
  /** The GPU or WebGPU adapter, as labelled everywhere ("SwiftShader driver 5.0.0 (software, not a GPU)"). */
  device?: string | null;
  /** The device is a CPU emulation of a GPU: its rate is never a GPU's. */
  software?: boolean;
  model: string;
  /** Channel width multiplier (1 = the architecture as published). */
  width?: number;
  k: number;
  batch: number;
  train_img_s: number | null;
  eval_img_s: number | null;
  peak_rss_mb: number;
  /** Timed training steps after the warm-up; 0 = the rate comes from the warm-up step alone (too slow to repeat). */
  train_steps: number;
  eval_batches: number;
  train_error?: string;
  /** Evaluation on the plain tfjs-layers path (BN not folded), for comparison. */
  eval_layers_img_s?: number | null;
  /** Processes the row's medians come from. */
  repeats?: number;
  /** Images per second of this process's CPU time (every thread, SwiftShader's too): what a shared machine cannot distort. */
  train_img_cpu_s?: number | null;
  eval_img_cpu_s?: number | null;
}

const NUM_CLASSES = 10;

function syntheticBatch(size: number, k: number): Batch {
  const pixels = new Float32Array(size * k * k * 3);
  let s = 12345;
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  return {
    pixels,
    labels: Int32Array.from({ length: size }, (_, i) => i % NUM_CLASSES),
    size,
    k,
    indices: Int32Array.from({ length: size }, (_, i) => i),
  };
}

/** A source that hands out the same batch `count` times. */
function repeatSource(batch: Batch, count: number, numClasses: number): BatchSource {
  return {
    numItems: batch.size * count,
    numClasses,
    k: batch.k,
    batchesPerEpoch: () => count,
    async *epoch() {
      for (let i = 0; i < count; i++) yield batch;
    },
    close: async () => {},
  };
}

/** CPU seconds (user + system, every thread) this process spent since `since`. */
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

interface Rate {
  perSecond: number;
  /** Steps per CPU-second of the process. */
  perCpuSecond: number;
  steps: number;
}

/** Runs `step` once to warm up, then repeats it until `seconds` pass; returns steps/second and the timed count. */
async function rate(step: () => Promise<unknown>, seconds: number): Promise<Rate> {
  const warm = performance.now();
  const warmCpu = process.cpuUsage();
  await step();
  const warmSeconds = (performance.now() - warm) / 1000;
  if (warmSeconds >= seconds) return { perSecond: 1 / warmSeconds, perCpuSecond: 1 / cpuSeconds(warmCpu), steps: 0 };
  const start = performance.now();
  const cpu = process.cpuUsage();
  let steps = 0;
  while (steps < 2 || (performance.now() - start) / 1000 < seconds) {
    await step();
    steps++;
  }
  return { perSecond: steps / ((performance.now() - start) / 1000), perCpuSecond: steps / cpuSeconds(cpu), steps };
}

/** Two variants timed in alternation (so load changes on a shared machine hit both alike), after one warm-up each. */
async function interleavedRates(a: () => Promise<unknown>, b: () => Promise<unknown>, seconds: number): Promise<Rate[]> {
  await a();
  await b();
  const spent = [0, 0];
  const cpu = [0, 0];
  const steps = [0, 0];
  const start = performance.now();
  while (steps[0]! < 2 || (performance.now() - start) / 1000 < seconds) {
    for (const [i, step] of [a, b].entries()) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await step();
      spent[i]! += (performance.now() - t0) / 1000;
      cpu[i]! += cpuSeconds(c0);
      steps[i]!++;
    }
  }
  return [0, 1].map((i) => ({ perSecond: steps[i]! / spent[i]!, perCpuSecond: steps[i]! / cpu[i]!, steps: steps[i]! }));
}

/** ONNX Runtime rows: evaluation only (it is a forward engine), through the engine's own ORT forward pass. */
async function onnxRuntimeRow(
  arch: string,
  k: number,
  size: number,
  seconds: number,
  evalBatches: number,
  weightsFile?: string,
): Promise<EngineBenchRow> {
  const backend = await ensureBackend('cpu'); // builds the model that is exported; ORT does the timed work
  const model = weightsFile
    ? (await importTorchWeights(weightsFile, arch as ArchName)).model
    : createModel({ arch: arch as ArchName, numClasses: NUM_CLASSES, seed: 1 });
  const classes = model.outputs[0]!.shape[1] as number;
  const threads = ortThreads();
  const forward = await openForwardPass(model, { features: false, source: null, backend, requested: 'onnxruntime', threads });
  const batch = syntheticBatch(size, k);
  const evalRate = await rate(
    () => evaluate(model, repeatSource(batch, evalBatches, classes), { batchSize: size, forward }),
    seconds,
  );
  await forward.dispose();
  return {
    backend: 'onnxruntime',
    threads,
    model: weightsFile ? `${arch} (imported)` : arch,
    k,
    batch: size,
    train_img_s: null,
    eval_img_s: evalRate.perSecond * size * evalBatches,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    train_steps: 0,
    eval_batches: (evalRate.steps + 1) * evalBatches,
    train_error: 'a forward-only engine',
  };
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'eval-batches': { type: 'string', default: '4' },
      'folded-only': { type: 'boolean', default: false },
      weights: { type: 'string' },
    },
  });
  const [backendArg, arch, kArg, batchArg, secondsArg, widthArg = '1'] = positionals;
  const evalBatches = Number(values['eval-batches']);
  const weightsFile = values.weights;
  if (backendArg === 'onnxruntime') {
    const row = await onnxRuntimeRow(arch!, Number(kArg), Number(batchArg), Number(secondsArg), evalBatches, weightsFile);
    process.stdout.write(`${JSON.stringify(row)}\n`);
    return;
  }
  if (!BACKEND_LADDER.includes(backendArg as BackendName)) throw new Error(`unknown backend ${backendArg}`);
  const report = await ensureBackend(backendArg as BackendName);
  const k = Number(kArg);
  const size = Number(batchArg);
  const seconds = Number(secondsArg);
  const width = Number(widthArg);
  const model = weightsFile
    ? (await importTorchWeights(weightsFile, arch as ArchName)).model
    : createModel({ arch: arch as ArchName, numClasses: NUM_CLASSES, width, seed: 1 });
  const batch = syntheticBatch(size, k);
  const classes = model.outputs[0]!.shape[1] as number;

  if (weightsFile) {
    // Imported models: the evaluation path predictions and sweeps use (BN folded), nothing else.
    const evalRate = await rate(() => evaluate(model, repeatSource(batch, evalBatches, classes), { batchSize: size }), seconds);
    const row: EngineBenchRow = {
      backend: report.name,
      threads: report.threads,
      device: report.device ? deviceLabel(report.device) : null,
      software: report.device?.software ?? false,
      model: `${arch} (imported)`,
      k,
      batch: size,
      train_img_s: null,
      eval_img_s: evalRate.perSecond * size * evalBatches,
      eval_img_cpu_s: evalRate.perCpuSecond * size * evalBatches,
      eval_layers_img_s: null,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      train_steps: 0,
      eval_batches: evalRate.steps * evalBatches,
      train_error: 'evaluation only (imported PyTorch weights)',
    };
    process.stdout.write(`${JSON.stringify(row)}\n`);
    return;
  }
  // One evaluation pass = evalBatches batches; folded and unfolded passes alternate.
  const folded = () => evaluate(model, repeatSource(batch, evalBatches, classes), { batchSize: size });
  const unfolded = () => evaluate(model, repeatSource(batch, evalBatches, classes), { batchSize: size, foldBatchNorm: false });
  const [evalRate, layersRate] = values['folded-only']
    ? [await rate(folded, seconds / 2), null]
    : await interleavedRates(folded, unfolded, seconds / 2);
  const row: EngineBenchRow = {
    backend: report.name,
    threads: report.threads,
    device: report.device ? deviceLabel(report.device) : null,
    software: report.device?.software ?? false,
    model: arch!,
    width,
    k,
    batch: size,
    train_img_s: null,
    eval_img_s: evalRate!.perSecond * size * evalBatches,
    eval_img_cpu_s: evalRate!.perCpuSecond * size * evalBatches,
    eval_layers_img_s: layersRate ? layersRate.perSecond * size * evalBatches : null,
    peak_rss_mb: 0,
    train_steps: 0,
    eval_batches: evalRate!.steps * evalBatches,
  };
  // Reported now too, so a case that runs out of time still has its evaluation numbers.
  process.stdout.write(`${JSON.stringify({ ...row, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
  const sgd = new Sgd(trainableParams(model.trainableWeights), { momentum: 0.9, nesterov: false, weightDecay: 5e-4 });
  try {
    const trainRate = await rate(() => trainStep(model, sgd, batch, { lr: 0.01, labelSmoothing: 0 }), seconds);
    row.train_img_s = trainRate.perSecond * size;
    row.train_img_cpu_s = trainRate.perCpuSecond * size;
    row.train_steps = trainRate.steps;
  } catch (err) {
    row.train_error = (err as Error).message.split('\n')[0];
  }
  row.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

main().catch((err: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: (err as Error).message.split('\n')[0] })}\n`);
  process.exitCode = 1;
});
