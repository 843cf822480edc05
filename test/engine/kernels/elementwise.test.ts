import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelativeError, setUpBackends } from './compare-backends';

const TOLERANCE = 1e-5;
beforeAll(setUpBackends);

const X = [3, 5, 4, 7];

describe('wasm per-channel ops and leading-axis reductions match the cpu backend', () => {
  it.each([
    ['x · v[C]', (x: tf.Tensor, v: tf.Tensor) => tf.mul(x, v), [7]],
    ['v[1,1,1,C] · x', (x: tf.Tensor, v: tf.Tensor) => tf.mul(v, x), [1, 1, 1, 7]],
    ['x + v[C]', (x: tf.Tensor, v: tf.Tensor) => tf.add(x, v), [7]],
    ['v[C] + x', (x: tf.Tensor, v: tf.Tensor) => tf.add(v, x), [7]],
    ['x − v[C]', (x: tf.Tensor, v: tf.Tensor) => tf.sub(x, v), [7]],
    ['v[C] − x (shipped kernel)', (x: tf.Tensor, v: tf.Tensor) => tf.sub(v, x), [7]],
    ['x · v[1] (shipped kernel)', (x: tf.Tensor, v: tf.Tensor) => tf.mul(x, v), [1]],
    ['x · v[W, C] (shipped kernel)', (x: tf.Tensor, v: tf.Tensor) => tf.mul(x, v), [4, 7]],
  ] as const)('%s', async (_, f, vShape) => {
    const err = await maxRelativeError(
      [
        { shape: X, seed: 1 },
        { shape: [...vShape], seed: 2 },
      ],
      f,
    );
    expect(err).toBeLessThan(TOLERANCE);
  });

  it.each([
    ['sum over N, H, W', (x: tf.Tensor) => tf.sum(x, [0, 1, 2])],
    ['mean over N, H, W, keepDims', (x: tf.Tensor) => tf.mean(x, [0, 1, 2], true)],
    ['sum over axes [2, 1, 0] given out of order', (x: tf.Tensor) => tf.sum(x, [2, 1, 0])],
    ['mean over the batch only', (x: tf.Tensor) => tf.mean(x, 0)],
    ['sum over N, H', (x: tf.Tensor) => tf.sum(x, [0, 1])],
    ['mean over every axis (shipped kernel)', (x: tf.Tensor) => tf.mean(x)],
    ['sum over the last axis (shipped kernel)', (x: tf.Tensor) => tf.sum(x, -1)],
    ['moments over N, H, W (what BN training computes)', (x: tf.Tensor) => Object.values(tf.moments(x, [0, 1, 2]))],
  ] as const)('%s', async (_, f) => {
    expect(await maxRelativeError([{ shape: X, seed: 3 }], f)).toBeLessThan(TOLERANCE);
  });

  it('sums an int32 tensor over leading axes exactly (shipped kernel)', async () => {
    const err = await maxRelativeError([{ shape: [4, 3], seed: 4, map: (v) => Math.round(10 * v) }], (x) =>
      tf.sum(tf.cast(x, 'int32'), 0),
    );
    expect(err).toBe(0);
  });

  it.each([
    ['per-channel statistics', [7]],
    ['statistics shaped [1, 1, 1, C] (shipped kernel)', [1, 1, 1, 7]],
  ] as const)('inference batch norm with %s', async (_, statsShape) => {
    const err = await maxRelativeError(
      [
        { shape: X, seed: 5 },
        { shape: [...statsShape], seed: 6 },
        { shape: [...statsShape], seed: 7, map: (v) => 0.1 + v * v },
        { shape: [...statsShape], seed: 8 },
        { shape: [...statsShape], seed: 9 },
      ],
      (x, m, v, o, s) => tf.batchNorm(x!, m!, v!, o, s, 1e-3),
    );
    expect(err).toBeLessThan(TOLERANCE);
  });
});
