import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordInnerKernels, stopRecordingInnerKernels } from '../../../src/engine/backend/kernels/kernel-scope';
import { maxRelativeError, onBothBackends, setUpBackends, TARGETS } from './compare-backends';

const TOLERANCE = 1e-5;
beforeAll(setUpBackends);

// Large enough (≥ 4096 values) for the vectorised per-channel path; 23 channels, not a multiple of 4.
const X = [3, 9, 8, 23];
const C = X[3]!;

describe.each(TARGETS)('%s per-channel ops and leading-axis reductions match the cpu backend', (target) => {
  it.each([
    ['x · v[C]', (x: tf.Tensor, v: tf.Tensor) => tf.mul(x, v), [C]],
    ['v[1,1,1,C] · x', (x: tf.Tensor, v: tf.Tensor) => tf.mul(v, x), [1, 1, 1, C]],
    ['x + v[C]', (x: tf.Tensor, v: tf.Tensor) => tf.add(x, v), [C]],
    ['v[C] + x', (x: tf.Tensor, v: tf.Tensor) => tf.add(v, x), [C]],
    ['x − v[C]', (x: tf.Tensor, v: tf.Tensor) => tf.sub(x, v), [C]],
    ['v[C] − x (shipped kernel)', (x: tf.Tensor, v: tf.Tensor) => tf.sub(v, x), [C]],
    ['x · v[1] (shipped kernel)', (x: tf.Tensor, v: tf.Tensor) => tf.mul(x, v), [1]],
    ['x · v[W, C] (shipped kernel)', (x: tf.Tensor, v: tf.Tensor) => tf.mul(x, v), [8, C]],
  ] as const)('%s', async (_, f, vShape) => {
    const err = await maxRelativeError(
      [
        { shape: X, seed: 1 },
        { shape: [...vShape], seed: 2 },
      ],
      f,
      target,
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
    expect(await maxRelativeError([{ shape: X, seed: 3 }], f, target)).toBeLessThan(TOLERANCE);
  });

  it('sums an int32 tensor over leading axes exactly (shipped kernel)', async () => {
    const err = await maxRelativeError(
      [{ shape: [4, 3], seed: 4, map: (v) => Math.round(10 * v) }],
      (x) => tf.sum(tf.cast(x, 'int32'), 0),
      target,
    );
    expect(err).toBe(0);
  });

  it.each([
    ['per-channel statistics', [C]],
    ['statistics shaped [1, 1, 1, C] (shipped kernel)', [1, 1, 1, C]],
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
      target,
    );
    expect(err).toBeLessThan(TOLERANCE);
  });
});

describe.each(TARGETS)('on %s, NaN survives the vectorised paths (XNNPACK would clamp NaN to −∞)', (target) => {
  // x + this puts a NaN at index 5 and leaves the rest of x alone.
  const nanAt5 = () =>
    tf.tensor(
      Array.from({ length: X.reduce((a, b) => a * b) }, (_, i) => (i === 5 ? Number.NaN : 0)),
      X,
    );
  it.each([
    ['sum over N, H, W', (x: tf.Tensor) => tf.sum(x, [0, 1, 2])],
    ['mean over N, H, W', (x: tf.Tensor) => tf.mean(x, [0, 1, 2])],
    ['x · v with a NaN in v', (x: tf.Tensor) => tf.mul(tf.abs(x), tf.sum(x, [0, 1, 2]))],
    ['x − v with a NaN in v', (x: tf.Tensor) => tf.sub(tf.abs(x), tf.sum(x, [0, 1, 2]))],
  ] as const)('%s', async (_, f) => {
    const { out, cpu } = await onBothBackends([{ shape: X, seed: 10 }], (x) => f(tf.add(x, nanAt5())), target);
    expect(Array.from(out[0]!).map(Number.isNaN)).toEqual(Array.from(cpu[0]!).map(Number.isNaN));
  });

  it('batch norm with a NaN mean gives NaN, not −∞', async () => {
    const { out } = await onBothBackends(
      [{ shape: X, seed: 11 }],
      (x) => tf.batchNorm(x, tf.fill([C], Number.NaN), tf.ones([C]), tf.zeros([C]), tf.ones([C]), 1e-3),
      target,
    );
    expect(out[0]!.every(Number.isNaN)).toBe(true);
  });
});

describe('which path runs on wasm', () => {
  it('sends large NHWC per-channel products through XNNPACK depthwise and leading-axis sums through pooling', async () => {
    const inner = recordInnerKernels();
    await onBothBackends([{ shape: X, seed: 12 }], (x) => [tf.mul(x, tf.ones([C])), tf.sum(x, [0, 1, 2])]);
    stopRecordingInnerKernels();
    expect([...inner.keys()]).toEqual(expect.arrayContaining(['Multiply/FusedDepthwiseConv2D', 'Sum/AvgPool']));
  });
});
