import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../../src/engine/models/create-model';
import { exportOnnx } from '../../../src/engine/onnx/export-onnx';
import { ortForwardPass } from '../../../src/engine/onnx/ort-forward';
import { openOrtSession } from '../../../src/engine/onnx/ort-runtime';
import { liveTensors, useTestBackend } from '../../helpers/tf-backend';

beforeAll(useTestBackend);

describe('ortForwardPass', () => {
  it('takes the pixels the data workers render into shared memory, and reports where it ran', async () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 3, width: 0.25, seed: 4 });
    const pass = ortForwardPass(await openOrtSession(exportOnnx(model).bytes, { threads: 1 }), {
      features: true,
      reason: 'test',
    });
    const k = 9;
    const shared = new Float32Array(new SharedArrayBuffer(2 * k * k * 3 * 4));
    shared.forEach((_, i) => (shared[i] = Math.sin(i)));
    const before = liveTensors();
    const { logits, pooled } = await pass.run({ pixels: shared, size: 2, k });
    expect(pooled!.shape).toEqual([2, 16]);
    const error = tf.tidy(() => {
      const expected = model.predict(tf.tensor4d(Float32Array.from(shared), [2, k, k, 3])) as tf.Tensor;
      return tf.max(tf.abs(tf.sub(logits, expected))).dataSync()[0]!;
    });
    expect(error).toBeLessThan(1e-5);
    tf.dispose([logits, pooled!]);
    expect(liveTensors()).toBe(before);
    expect(pass.report).toMatchObject({
      engine: 'onnxruntime',
      detail: expect.stringMatching(/^onnxruntime \S+ cpu, 1 thread$/),
    });
    await pass.dispose();
    model.dispose();
  });
});
