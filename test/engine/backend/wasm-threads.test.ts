import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend/select-backend';
import { relativeError } from '../kernels/compare-backends';

describe('wasm with XNNPACK threads under Node', () => {
  it('starts with two threads and computes what the cpu backend computes', async () => {
    const report = await selectBackend({ force: 'wasm', wasmThreads: 2 });
    expect(report).toMatchObject({ name: 'wasm', threads: 2, simd: true, notes: [] });
    const run = () =>
      tf.tidy(() => {
        const x = tf.randomNormal([4, 16, 16, 8], 0, 1, 'float32', 1) as tf.Tensor4D;
        const w = tf.randomNormal([3, 3, 8, 12], 0, 1, 'float32', 2) as tf.Tensor4D;
        const y = tf.conv2d(x, w, 2, 'same');
        return Float32Array.from(
          tf.matMul(tf.reshape(y, [-1, 12]), tf.reshape(w, [-1, 12]), false, true).dataSync() as Float32Array,
        );
      });
    const threaded = run();
    await tf.setBackend('cpu');
    expect(relativeError(threaded, run())).toBeLessThan(1e-5);
  });
});
