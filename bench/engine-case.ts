/**
 * One engine benchmark case in its own process (so peak RSS is the case's own):
 * `tsx bench/engine-case.ts <backend> <arch> <k> <batch> <seconds> [weights file]` prints one JSON row.
 * Times the real training step (forward, loss, gradients, SGD update) and the real evaluation
 * pass on in-memory batches, so data decoding is not part of the numbers. With a weights file
 * (PyTorch's, imported as `fixres model import` does) only evaluation is timed.
 */
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
  model: string;
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
}

const NUM_CLASSES = 10;
const EVAL_BATCHES = 4;

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

/** Runs `step` once to warm up, then repeats it until `seconds` pass; returns steps/second and the timed count. */
async function rate(step: () => Promise<unknown>, seconds: number): Promise<{ perSecond: number; steps: number }> {
  const warm = performance.now();
  await step();
  const warmSeconds = (performance.now() - warm) / 1000;
  if (warmSeconds >= seconds) return { perSecond: 1 / warmSeconds, steps: 0 };
  const start = performance.now();
  let steps = 0;
  while (steps < 2 || (performance.now() - start) / 1000 < seconds) {
    await step();
    steps++;
  }
  return { perSecond: steps / ((performance.now() - start) / 1000), steps };
}

/** Two variants timed in alternation (so load changes on a shared machine hit both alike), after one warm-up each. */
async function interleavedRates(a: () => Promise<unknown>, b: () => Promise<unknown>, seconds: number) {
  await a();
  await b();
  const spent = [0, 0];
  const steps = [0, 0];
  const start = performance.now();
  while (steps[0]! < 2 || (performance.now() - start) / 1000 < seconds) {
    for (const [i, step] of [a, b].entries()) {
      const t0 = performance.now();
      await step();
      spent[i]! += (performance.now() - t0) / 1000;
      steps[i]!++;
    }
  }
  return [0, 1].map((i) => ({ perSecond: steps[i]! / spent[i]!, steps: steps[i]! }));
}

/** ONNX Runtime rows: evaluation only (it is a forward engine), through the engine's own ORT forward pass. */
async function onnxRuntimeRow(
  arch: string,
  k: number,
  size: number,
  seconds: number,
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
    () => evaluate(model, repeatSource(batch, EVAL_BATCHES, classes), { batchSize: size, forward }),
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
    eval_img_s: evalRate.perSecond * size * EVAL_BATCHES,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    train_steps: 0,
    eval_batches: (evalRate.steps + 1) * EVAL_BATCHES,
    train_error: 'a forward-only engine',
  };
}

async function main(): Promise<void> {
  const [backendArg, arch, kArg, batchArg, secondsArg, weightsFile] = process.argv.slice(2);
  if (backendArg === 'onnxruntime') {
    const row = await onnxRuntimeRow(arch!, Number(kArg), Number(batchArg), Number(secondsArg), weightsFile);
    process.stdout.write(`${JSON.stringify(row)}\n`);
    return;
  }
  if (!BACKEND_LADDER.includes(backendArg as BackendName)) throw new Error(`unknown backend ${backendArg}`);
  const report = await ensureBackend(backendArg as BackendName);
  const k = Number(kArg);
  const size = Number(batchArg);
  const seconds = Number(secondsArg);
  const model = weightsFile
    ? (await importTorchWeights(weightsFile, arch as ArchName)).model
    : createModel({ arch: arch as ArchName, numClasses: NUM_CLASSES, seed: 1 });
  const batch = syntheticBatch(size, k);
  const classes = model.outputs[0]!.shape[1] as number;

  if (weightsFile) {
    // Imported models: the evaluation path predictions and sweeps use (BN folded), nothing else.
    const evalRate = await rate(() => evaluate(model, repeatSource(batch, EVAL_BATCHES, classes), { batchSize: size }), seconds);
    const row: EngineBenchRow = {
      backend: report.name,
      threads: report.threads,
      model: `${arch} (imported)`,
      k,
      batch: size,
      train_img_s: null,
      eval_img_s: evalRate.perSecond * size * EVAL_BATCHES,
      eval_layers_img_s: null,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      train_steps: 0,
      eval_batches: evalRate.steps * EVAL_BATCHES,
      train_error: 'evaluation only (imported PyTorch weights)',
    };
    process.stdout.write(`${JSON.stringify(row)}\n`);
    return;
  }
  // One evaluation pass = EVAL_BATCHES batches; folded and unfolded passes alternate.
  const [evalRate, layersRate] = await interleavedRates(
    () => evaluate(model, repeatSource(batch, EVAL_BATCHES, classes), { batchSize: size }),
    () => evaluate(model, repeatSource(batch, EVAL_BATCHES, classes), { batchSize: size, foldBatchNorm: false }),
    seconds / 2,
  );
  const row: EngineBenchRow = {
    backend: report.name,
    threads: report.threads,
    model: arch!,
    k,
    batch: size,
    train_img_s: null,
    eval_img_s: evalRate!.perSecond * size * EVAL_BATCHES,
    eval_layers_img_s: layersRate!.perSecond * size * EVAL_BATCHES,
    peak_rss_mb: 0,
    train_steps: 0,
    eval_batches: evalRate!.steps * EVAL_BATCHES,
  };
  // Reported now too, so a case that runs out of time still has its evaluation numbers.
  process.stdout.write(`${JSON.stringify({ ...row, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
  const sgd = new Sgd(trainableParams(model.trainableWeights), { momentum: 0.9, nesterov: false, weightDecay: 5e-4 });
  try {
    const trainRate = await rate(() => trainStep(model, sgd, batch, { lr: 0.01, labelSmoothing: 0 }), seconds);
    row.train_img_s = trainRate.perSecond * size;
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
