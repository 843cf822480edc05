import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';

/** Runs ONNX bytes on ONNX Runtime (CPU, one thread) with one NHWC batch; returns every output as a tfjs tensor. */
export async function runOnnx(bytes: Uint8Array, x: tf.Tensor4D): Promise<Record<string, tf.Tensor>> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, executionProviders: ['cpu'] });
  try {
    const out = await session.run({ image: new ort.Tensor('float32', x.dataSync() as Float32Array, x.shape) });
    return Object.fromEntries(
      Object.entries(out).map(([name, t]) => [name, tf.tensor(t.data as Float32Array, t.dims as number[])]),
    );
  } finally {
    await session.release();
  }
}

/** max |a − b| / max(1, max |b|): the error relative to the reference's scale. */
export function scaledError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
    return diff / Math.max(1, tf.max(tf.abs(b)).dataSync()[0]!);
  });
}
