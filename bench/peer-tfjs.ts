/**
 * tfjs side of `npm run bench:peer`: one (backend, threads, K, batch) measurement in its own
 * process (so peak RSS is this configuration's), printed as one JSON row on stdout.
 *   tsx bench/peer-tfjs.ts --backend wasm --threads 1 --k 32 --batch 32
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendName } from '../src/engine/backend/select-backend';
import { benchModel, makeEvalStep, makeTrainStep, measure, syntheticBatch } from './peer-workload';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string', default: '1' },
    k: { type: 'string', default: '32' },
    batch: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '3' },
    windows: { type: 'string', default: '5' },
    'per-window': { type: 'string', default: '3' },
  },
});
const k = Number(values.k);
const batch = Number(values.batch);
const report = await selectBackend({ force: values.backend as BackendName, wasmThreads: Number(values.threads) });
const model = benchModel();
const data = syntheticBatch(k, batch);
const shape = { warmup: Number(values.warmup), windows: Number(values.windows), perWindow: Number(values['per-window']) };
const train = makeTrainStep(model);
const trained = await measure(() => train(data), shape);
const evaluate = makeEvalStep(model);
const evaluated = await measure(() => evaluate(data), { ...shape, perWindow: shape.perWindow * 4 });
process.stdout.write(
  `${JSON.stringify({
    engine: 'tfjs',
    backend: report.name,
    threads: report.threads,
    k,
    batch,
    train_img_s: (1000 * batch) / trained.wallMs,
    eval_img_s: (1000 * batch) / evaluated.wallMs,
    train_cpu_img_s: (1000 * batch) / trained.cpuMs,
    eval_cpu_img_s: (1000 * batch) / evaluated.cpuMs,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    live_tensors: tf.memory().numTensors,
    version: tf.version_core,
  })}\n`,
);
process.exit(0);
