/**
 * `npm run bench:train-memory`: how much WebAssembly heap one training step takes, against the
 * estimate of src/core/training-memory.ts (activations from the model graph × BYTES_PER_ACTIVATION,
 * parameters × BYTES_PER_PARAMETER, BASE_BYTES). Each case runs in a fresh process, because a wasm
 * heap only grows: its size after one step (forward, backward, SGD update) is that step's peak.
 * Prints, per case, the measured heap, the estimate, and the bytes per activation value the
 * measurement implies (what BYTES_PER_ACTIVATION is set from).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { activationsPerPixel, BASE_BYTES, BYTES_PER_PARAMETER, parameterCount, trainingBytes } from '../src/core/training-memory';
import { MODELS, type ArchName } from '../src/shared/models/registry';

interface Case {
  arch: ArchName;
  width: number;
  k: number;
  batch: number;
}

const CASES: Case[] = [
  { arch: 'resnet-mini', width: 1, k: 64, batch: 8 },
  { arch: 'resnet-mini', width: 1, k: 128, batch: 8 },
  { arch: 'resnet-mini', width: 1, k: 256, batch: 8 },
  { arch: 'resnet-mini', width: 2, k: 128, batch: 4 },
  { arch: 'resnet18', width: 0.5, k: 128, batch: 4 },
  { arch: 'resnet18', width: 1, k: 128, batch: 4 },
  { arch: 'resnet18', width: 1, k: 224, batch: 4 },
  { arch: 'resnet50', width: 0.5, k: 128, batch: 2 },
  { arch: 'resnet50', width: 1, k: 96, batch: 2 },
  { arch: 'resnet50', width: 1, k: 160, batch: 2 },
];
const NUM_CLASSES = 10;

/** In the child: one training step on random data; prints the heap before and after, in bytes. */
async function measureOne(c: Case): Promise<void> {
  process.env.FIXRES_BACKEND = 'wasm';
  process.env.FIXRES_WASM_THREADS = '1';
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-layers');
  const { ensureBackend } = await import('../src/engine/backend/select-backend');
  const { createModel } = await import('../src/engine/models/create-model');
  const { Sgd, trainableParams } = await import('../src/engine/train/sgd');
  const { trainStep } = await import('../src/engine/train/train-step');
  await ensureBackend('wasm');
  const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
  const model = createModel({ arch: c.arch, numClasses: NUM_CLASSES, width: c.width, seed: 1 });
  const sgd = new Sgd(trainableParams(model.trainableWeights), { momentum: 0.9, nesterov: false, weightDecay: 5e-4 });
  const before = heap();
  const pixels = new Float32Array(c.batch * c.k * c.k * 3).map((_, i) => Math.sin(i));
  const labels = Int32Array.from({ length: c.batch }, (_, i) => i % NUM_CLASSES);
  const indices = Int32Array.from({ length: c.batch }, (_, i) => i);
  await trainStep(model, sgd, { pixels, labels, size: c.batch, k: c.k, indices }, { lr: 0.01, labelSmoothing: 0 });
  process.stdout.write(JSON.stringify({ before, after: heap() }));
}

function main(): void {
  const self = fileURLToPath(import.meta.url);
  const tsx = createRequire(import.meta.url).resolve('tsx');
  console.log(
    '| model | width | K | batch | activations/px | heap after one step (MB) | estimate (MB) | bytes per activation implied |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const only = process.env.BENCH_CASES?.split(',').map(Number);
  for (const c of CASES.filter((_, i) => !only || only.includes(i))) {
    const out = execFileSync(process.execPath, ['--import', tsx, self, JSON.stringify(c)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const { after } = JSON.parse(out.slice(out.lastIndexOf('{'))) as { before: number; after: number };
    const graph = MODELS[c.arch];
    const perPixel = activationsPerPixel(graph, c.width);
    const values = perPixel * c.k * c.k * c.batch;
    const implied = (after - BASE_BYTES - BYTES_PER_PARAMETER * parameterCount(graph, c.width, NUM_CLASSES)) / values;
    const estimate = trainingBytes({ graph, width: c.width, numClasses: NUM_CLASSES, k: c.k, batch: c.batch });
    const mb = (b: number) => (b / 2 ** 20).toFixed(0);
    console.log(
      `| ${c.arch} | ${c.width} | ${c.k} | ${c.batch} | ${perPixel.toFixed(0)} | ${mb(after)} | ${mb(estimate)} | ${implied.toFixed(1)} |`,
    );
  }
}

const arg = process.argv[2];
if (arg) await measureOne(JSON.parse(arg) as Case);
else main();
