/**
 * ONNX Runtime side of `npm run bench:peer`: one (architecture, K, threads, batch) evaluation
 * measurement in its own process, printed as one JSON row. The model is the lab's own (built by
 * src/engine/models, exported by src/engine/onnx), run through the engine's ORT session options.
 *   tsx bench/peer-ort.ts --arch resnet18 --k 224 --threads 1 --batch 32
 */
import { parseArgs } from 'node:util';
import { ensureBackend } from '../src/engine/backend/select-backend';
import { createModel, type ArchName } from '../src/engine/models/create-model';
import { exportOnnx } from '../src/engine/onnx/export-onnx';
import { openOrtSession } from '../src/engine/onnx/ort-runtime';
import { measure, syntheticBatch } from './peer-workload';

const { values } = parseArgs({
  options: {
    arch: { type: 'string', default: 'resnet18' },
    threads: { type: 'string', default: '1' },
    k: { type: 'string', default: '224' },
    batch: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '2' },
    windows: { type: 'string', default: '5' },
    'per-window': { type: 'string', default: '2' },
  },
});
const k = Number(values.k);
const batch = Number(values.batch);
await ensureBackend('cpu'); // builds the tfjs model to export; ORT does the timed work
const model = createModel({ arch: values.arch as ArchName, numClasses: 10, seed: 1 });
const { bytes } = exportOnnx(model);
model.dispose();
const open = await openOrtSession(bytes, { threads: Number(values.threads) });
const data = syntheticBatch(k, batch);
const input = new open.ort.Tensor('float32', data.pixels, [batch, k, k, 3]);
const step = async () => {
  const out = await open.session.run({ image: input }, ['logits']);
  if (!(out['logits']!.data as Float32Array).length) throw new Error('no logits');
};
const timing = await measure(step, {
  warmup: Number(values.warmup),
  windows: Number(values.windows),
  perWindow: Number(values['per-window']),
});
process.stdout.write(
  `${JSON.stringify({
    engine: 'onnxruntime',
    backend: open.provider,
    arch: values.arch,
    threads: open.threads,
    k,
    batch,
    train_img_s: 0,
    eval_img_s: (1000 * batch) / timing.wallMs,
    train_cpu_img_s: 0,
    eval_cpu_img_s: (1000 * batch) / timing.cpuMs,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    version: open.ort.env.versions.node,
  })}\n`,
);
process.exit(0);
