import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormGradConfig } from '../../../src/engine/backend/batch-norm/batch-norm-grad';
import { gradsOf, randomValues, relativeError, setUpBackends, TARGETS, valuesOf } from './compare-backends';

beforeAll(setUpBackends);

/** Gradients of Σ(batchNorm(x, μ, σ², β, γ)·dy) for all five inputs, with the given gradient registered. */
async function bnGrads(backend: string, grad: tf.GradConfig, shape: number[], statsShape: number[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  tf.registerGradient(grad);
  const grads = tf.tidy(() => {
    const channels = statsShape[statsShape.length - 1]!;
    const x = tf.tensor(randomValues({ shape, seed: 1 }), shape);
    const mean = tf.tensor(randomValues({ shape: statsShape, seed: 2 }), statsShape);
    const variance = tf.tensor(randomValues({ shape: statsShape, seed: 3, map: (v) => 0.5 + v * v }), statsShape);
    const offset = tf.tensor(randomValues({ shape: [channels], seed: 4 }), statsShape);
    const scale = tf.tensor(randomValues({ shape: [channels], seed: 5 }), statsShape);
    const f = gradsOf((a, m, v, o, s) => tf.batchNorm(a!, m!, v!, o, s, 1e-5), 6);
    return f(x, mean, variance, offset, scale);
  });
  const values = await Promise.all(grads.map(valuesOf));
  tf.dispose(grads);
  return values;
}

describe('lean batch-norm gradient', () => {
  const shipped = tf.getGradient(tf.FusedBatchNorm)!;

  it.each([
    ['per-channel statistics, NHWC', [3, 5, 4, 6], [6]],
    ['statistics shaped [1, 1, 1, C]', [2, 3, 3, 5], [1, 1, 1, 5]],
    ['a 2-D input (dense layers)', [7, 4], [4]],
  ])(`equals tfjs’s own gradient for %s, on cpu and on ${TARGETS.join(' and ')}`, async (_, shape, statsShape) => {
    // tfjs's gradient only handles rank-1 statistics (it fails on [1, 1, 1, C]): the reference uses [C].
    const reference = await bnGrads('cpu', shipped, shape, [statsShape[statsShape.length - 1]!]);
    for (const backend of ['cpu', ...TARGETS]) {
      const ours = await bnGrads(backend, batchNormGradConfig, shape, statsShape);
      ours.forEach((g, i) => expect(relativeError(g, reference[i]!), `${backend} input ${i}`).toBeLessThan(1e-4));
    }
    tf.registerGradient(shipped);
  });
});
