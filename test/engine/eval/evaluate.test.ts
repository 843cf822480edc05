import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/eval/evaluate';
import { createModel } from '../../../src/engine/models/create-model';
import { perturbBatchNorm } from '../../helpers/perturb-bn';
import { liveTensors, useTestBackend } from '../../helpers/tf-backend';
import { syntheticSource } from '../../helpers/synthetic-source';

beforeAll(useTestBackend);

describe('evaluate', () => {
  it('computes loss, top-1, top-5, per-class accuracy and the confusion matrix like a direct computation', async () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 4, width: 0.25, seed: 3 });
    const source = syntheticSource({ numItems: 10, k: 8, seed: 4 });
    const before = liveTensors();
    const m = await evaluate(model, source, { batchSize: 4 });
    expect(liveTensors()).toBe(before);

    const pixels = Array.from({ length: 10 }, (_, i) => Array.from(source.pixelsOf(i))).flat();
    const x = tf.tensor4d(pixels, [10, 8, 8, 3]);
    const logits = model.predict(x) as tf.Tensor2D;
    const labels = Array.from({ length: 10 }, (_, i) => i % 4);
    const predictions = Array.from(tf.argMax(logits, 1).dataSync());
    const logp = tf.logSoftmax(logits).arraySync() as number[][];
    const loss = -labels.reduce((s, l, i) => s + logp[i]![l]!, 0) / 10;
    expect(m.n).toBe(10);
    expect(m.top1).toBeCloseTo(labels.filter((l, i) => l === predictions[i]).length / 10, 10);
    expect(m.top5).toBeNull(); // 4 classes: top-5 would always be 1
    expect(m.loss).toBeCloseTo(loss, 5);
    expect(m.confusion.flat().reduce((a, b) => a + b, 0)).toBe(10);
    expect(m.confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([3, 3, 2, 2]);
    model.dispose();
    tf.dispose([x, logits]);
  });

  it('gives the same metrics with BN folded into the convolutions as on the layers path', async () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 4, width: 0.5, seed: 5 });
    perturbBatchNorm(model);
    const source = syntheticSource({ numItems: 12, k: 8, seed: 6 });
    const folded = await evaluate(model, source, { batchSize: 5 });
    const layers = await evaluate(model, source, { batchSize: 5, foldBatchNorm: false });
    expect(folded.confusion).toEqual(layers.confusion);
    expect(folded.loss).toBeCloseTo(layers.loss, 5);
    model.dispose();
  });

  it('hands out pooled features and logits per batch, at any K', async () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 4, width: 0.25, seed: 3 });
    for (const k of [8, 12]) {
      const before = liveTensors();
      const seen: { rows: number; dim: number }[] = [];
      await evaluate(model, syntheticSource({ numItems: 6, k }), {
        batchSize: 4,
        onFeatures: (b) => seen.push({ rows: b.features.length / b.dim, dim: b.dim }),
      });
      expect(seen).toEqual([
        { rows: 4, dim: 16 },
        { rows: 2, dim: 16 },
      ]);
      expect(liveTensors()).toBe(before);
    }
    model.dispose();
  });

  it('stops with an AbortError when cancelled and leaks nothing', async () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 4, width: 0.25, seed: 3 });
    const controller = new AbortController();
    const before = liveTensors();
    const run = evaluate(model, syntheticSource({ numItems: 32, k: 8 }), {
      batchSize: 4,
      signal: controller.signal,
      onBatch: (done) => done >= 8 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(liveTensors()).toBe(before);
    model.dispose();
  });
});
