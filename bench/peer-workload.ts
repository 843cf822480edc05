import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { streamFor } from '../src/core/rng';
import { createModel } from '../src/engine/models/create-model';

/** The benchmark network: the app's resnet-mini (3 stages 16/32/64, one basic block each, BN, GAP, fc). */
export function benchModel(numClasses = 10, seed = 1): tfl.LayersModel {
  return createModel({ arch: 'resnet-mini', numClasses, seed });
}

/** A fixed synthetic batch (normalised-image-like values) and labels, kept on the backend. */
export function syntheticBatch(k: number, batch: number, numClasses = 10): { x: tf.Tensor4D; labels: tf.Tensor1D } {
  const rng = streamFor(7, k, batch);
  const pixels = Float32Array.from({ length: batch * k * k * 3 }, () => rng.normal());
  const labels = Int32Array.from({ length: batch }, () => rng.int(numClasses));
  return { x: tf.tensor4d(pixels, [batch, k, k, 3]), labels: tf.tensor1d(labels, 'int32') };
}

/**
 * One training step as the app takes it: forward in training mode (BN on batch statistics),
 * mean softmax cross-entropy, gradients of every trainable weight, SGD with momentum 0.9 in
 * PyTorch's form (b ← μb + g; p ← p − lr·b, explicit buffers). Returns the loss (read back, so
 * the step is complete when it returns).
 */
export function makeTrainStep(
  model: tfl.LayersModel,
  lr = 0.05,
  momentum = 0.9,
): (x: tf.Tensor4D, labels: tf.Tensor1D) => number {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const buffers = variables.map((v) => tf.variable(tf.zerosLike(v), false));
  return (x, labels) => {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const logits = model.apply(x, { training: true }) as tf.Tensor2D;
        const onehot = tf.oneHot(labels, logits.shape[1]);
        return tf.mean(tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
      }, variables);
      variables.forEach((v, i) => {
        const b = tf.add(tf.mul(buffers[i]!, momentum), grads[v.name]!);
        buffers[i]!.assign(b);
        v.assign(tf.sub(v, tf.mul(b, lr)));
      });
      return value;
    });
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return value;
  };
}

/** Inference as evaluation runs it (BN on moving statistics); reads the logits back. */
export function makeEvalStep(model: tfl.LayersModel): (x: tf.Tensor4D) => void {
  return (x) => {
    const logits = model.apply(x, { training: false }) as tf.Tensor;
    logits.dataSync();
    logits.dispose();
  };
}

export interface Timing {
  /** Median over windows of the wall time per call. */
  wallMs: number;
  /** Median over windows of the process CPU time per call (all threads). */
  cpuMs: number;
  windows: number[];
}

/** Runs `warmup` untimed calls, then `windows` windows of `perWindow` calls; medians per call. */
export function measure(
  fn: () => void,
  { warmup, windows, perWindow }: { warmup: number; windows: number; perWindow: number },
): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let w = 0; w < windows; w++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < perWindow; i++) fn();
    const c = process.cpuUsage(c0);
    wall.push((performance.now() - t0) / perWindow);
    cpu.push((c.user + c.system) / 1000 / perWindow);
  }
  return { wallMs: median(wall), cpuMs: median(cpu), windows: wall };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
