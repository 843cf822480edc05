/**
 * `npm run bench:soak`: the real training job (data pipeline decoding PNGs with sharp, the train
 * loop, evaluation and an atomic checkpoint every epoch) for 20 small epochs, recording
 * tf.memory().numTensors and the process RSS after every epoch. Fails (exit 1) if the tensor
 * count changes between epochs or RSS keeps growing after warm-up.
 *   npm run bench:soak -- [--epochs 20] [--backend wasm] [--images 256] [--k 32] [--threads 1]
 */
import { benchTrainInput } from './bench-train-input';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { streamFor } from '../src/core/rng';
import { selectBackend, type BackendName } from '../src/engine/backend/select-backend';
import { openBatchSource } from '../src/engine/data/open-batch-source';
import { runTraining } from '../src/engine/train/run-training';
import type { DataSpec } from '../src/shared/jobs/data-spec';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '20' },
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string', default: '1' },
    images: { type: 'string', default: '256' },
    k: { type: 'string', default: '32' },
  },
});
const epochs = Number(values.epochs);
const k = Number(values.k);
const CLASSES = ['red', 'green', 'blue', 'grey'];

/** A small ImageFolder of 48×40 PNGs: per-class tint plus seeded noise, so the pipeline really decodes. */
async function makeImageFolder(root: string, count: number): Promise<DataSpec['items']> {
  const items: DataSpec['items'] = [];
  for (let i = 0; i < count; i++) {
    const label = i % CLASSES.length;
    const rng = streamFor(3, i);
    const pixels = Buffer.alloc(48 * 40 * 3);
    for (let p = 0; p < pixels.length; p++)
      pixels[p] = Math.min(255, (p % 3 === label ? 160 : 60) + Math.floor(rng.uniform() * 90));
    const relPath = `${CLASSES[label]}/${i}.png`;
    mkdirSync(join(root, CLASSES[label]!), { recursive: true });
    await sharp(pixels, { raw: { width: 48, height: 40, channels: 3 } })
      .png()
      .toFile(join(root, relPath));
    items.push({ relPath, label });
  }
  return items;
}

const work = mkdtempSync(join(tmpdir(), 'fixres-soak-'));
try {
  const report = await selectBackend({ force: values.backend as BackendName, wasmThreads: Number(values.threads) });
  const items = await makeImageFolder(join(work, 'data'), Number(values.images));
  const spec = (kind: 'train' | 'test', seed: number): DataSpec => ({
    root: join(work, 'data'),
    classNames: CLASSES,
    items,
    transform:
      kind === 'train'
        ? { kind, k, scale: [0.35, 1], ratio: [3 / 4, 4 / 3], hflip: true, jitter: 0.2, interpolation: 'bilinear' }
        : { kind, k, cropPct: 0.875, interpolation: 'bilinear' },
    normalize: { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
    seed,
  });
  const samples: { epoch: number; tensors: number; rssMb: number; acc: number }[] = [];
  const started = performance.now();
  await runTraining(
    benchTrainInput({ train: spec('train', 1), val: spec('test', 2), epochs, checkpointDir: join(work, 'ckpt') }),
    {
      signal: new AbortController().signal,
      openSource: openBatchSource,
      progress: (p) => {
        if (p.type !== 'epoch') return;
        const sample = {
          epoch: p.summary.epoch + 1,
          tensors: tf.memory().numTensors,
          rssMb: process.memoryUsage().rss / 2 ** 20,
          acc: p.summary.val?.acc ?? 0,
        };
        samples.push(sample);
        process.stdout.write(
          `epoch ${String(sample.epoch).padStart(2)}  tensors ${sample.tensors}  RSS ${sample.rssMb.toFixed(0)} MB  val acc ${(100 * sample.acc).toFixed(1)} %\n`,
        );
      },
    },
  );
  const tensors = new Set(samples.map((s) => s.tensors));
  const warm = samples.slice(Math.min(3, samples.length - 1));
  const rssGrowth = warm.at(-1)!.rssMb - warm[0]!.rssMb;
  const peakRss = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `\n${report.name} (${report.threads} thread${report.threads > 1 ? 's' : ''}), resnet-mini K=${k}, ${items.length} images, ${epochs} epochs in ${((performance.now() - started) / 1000).toFixed(0)} s\n` +
      `tensors after each epoch: ${[...tensors].join(', ')}; RSS after epoch ${warm[0]!.epoch}: ${warm[0]!.rssMb.toFixed(0)} MB, after epoch ${warm.at(-1)!.epoch}: ${warm.at(-1)!.rssMb.toFixed(0)} MB (${rssGrowth >= 0 ? '+' : ''}${rssGrowth.toFixed(0)} MB); peak RSS ${peakRss.toFixed(0)} MB\n`,
  );
  // Bounded: a leak of one activation-sized buffer per epoch would add ≥ 4 MB per epoch here.
  const ok = tensors.size === 1 && rssGrowth < 2 * warm.length;
  process.stdout.write(ok ? 'soak: OK\n' : 'soak: FAILED (tensor count changed or RSS kept growing)\n');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit();
