import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFusedBatchNorm } from '../../../src/engine/backend/batch-norm/fused-layers-batch-norm';
import { randomValues, relativeError, setUpBackends } from '../kernels/compare-backends';

beforeAll(setUpBackends);
let uninstall: (() => void) | null = null;
afterAll(() => uninstall?.());

interface Outcome {
  y: Float32Array;
  movingMean: Float32Array;
  movingVariance: Float32Array;
  /** Gradients of Σ(y·dy) with respect to x, γ, β. */
  grads: Float32Array[];
}

const SHAPE = [4, 5, 3, 6];

/** One training-mode call of a BatchNormalization layer with seeded γ, β and moving statistics. */
async function trainingCall(backend: string): Promise<Outcome> {
  await tf.setBackend(backend);
  const layer = tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
  layer.build([null, 5, 3, 6]);
  const channels = SHAPE[3]!;
  layer.setWeights(
    [1, 2, 3, 4].map((seed) => tf.tensor1d(randomValues({ shape: [channels], seed, map: (v) => (seed === 4 ? 1 + v * v : v) }))),
  );
  const x = tf.tensor4d(
    randomValues({ shape: SHAPE, seed: 5, map: (v) => 3 + 2 * v }),
    SHAPE as [number, number, number, number],
  );
  const dy = tf.tensor4d(randomValues({ shape: SHAPE, seed: 6 }), SHAPE as [number, number, number, number]);
  const [gamma, beta] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = (xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx, { training: true }) as tf.Tensor, dy)) as tf.Scalar;
  const y = tf.tidy(() => layer.apply(x, { training: true }) as tf.Tensor);
  const [movingMean, movingVariance] = layer
    .getWeights()
    .slice(2)
    .map((w) => Float32Array.from(w.dataSync() as Float32Array));
  const dx = tf.grad(loss)(x);
  const { grads } = tf.variableGrads(() => loss(x), [gamma!, beta!]);
  const out = {
    y: Float32Array.from(y.dataSync() as Float32Array),
    movingMean: movingMean!,
    movingVariance: movingVariance!,
    grads: [dx, grads[gamma!.name]!, grads[beta!.name]!].map((g) => Float32Array.from(g.dataSync() as Float32Array)),
  };
  tf.dispose([x, dy, y, dx, ...Object.values(grads)]);
  return out;
}

describe('one-op training-mode batch normalisation for tfjs-layers', () => {
  it('gives tfjs-layers’ outputs, moving statistics and gradients, on cpu and on wasm', async () => {
    const reference = await trainingCall('cpu');
    uninstall = installFusedBatchNorm();
    for (const backend of ['cpu', 'wasm']) {
      const fused = await trainingCall(backend);
      expect(relativeError(fused.y, reference.y), `${backend} y`).toBeLessThan(1e-5);
      expect(relativeError(fused.movingMean, reference.movingMean), `${backend} moving mean`).toBeLessThan(1e-6);
      expect(relativeError(fused.movingVariance, reference.movingVariance), `${backend} moving variance`).toBeLessThan(1e-6);
      fused.grads.forEach((g, i) => expect(relativeError(g, reference.grads[i]!), `${backend} gradient ${i}`).toBeLessThan(1e-4));
    }
  });

  it('leaves no more tensors behind than tfjs-layers’ own training-mode call', async () => {
    await tf.setBackend('wasm');
    const growth = () => {
      const layer = tfl.layers.batchNormalization({});
      const x = tf.ones([2, 3, 3, 4]);
      layer.apply(x, { training: true });
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        tf.tidy(() => layer.apply(x, { training: true }) as tf.Tensor);
        tf.tidy(() => tf.grad((xx: tf.Tensor) => tf.sum(layer.apply(xx, { training: true }) as tf.Tensor))(x));
      }
      return tf.memory().numTensors - before;
    };
    uninstall?.();
    const shipped = growth();
    uninstall = installFusedBatchNorm();
    expect(growth()).toBe(shipped);
  });

  it('leaves inference mode to tfjs-layers (moving statistics, no update)', async () => {
    uninstall ??= installFusedBatchNorm();
    await tf.setBackend('cpu');
    const layer = tfl.layers.batchNormalization({});
    const x = tf.tensor4d(randomValues({ shape: [2, 2, 2, 3], seed: 7 }), [2, 2, 2, 3]);
    const y = layer.apply(x, { training: false }) as tf.Tensor;
    expect(
      relativeError(
        y.dataSync(),
        x.dataSync().map((v) => v / Math.sqrt(1 + 1e-3)),
      ),
    ).toBeLessThan(1e-6);
    expect(Array.from(layer.getWeights()[2]!.dataSync())).toEqual([0, 0, 0]);
  });
});
