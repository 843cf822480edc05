import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { streamFor } from '../src/core/rng';
import type { Batch } from '../src/engine/data/batch';
import { createModel } from '../src/engine/models/create-model';
import { Sgd, trainableParams } from '../src/engine/train/sgd';
import { trainStep } from '../src/engine/train/train-step';

/** The benchmark network: the app's resnet-mini (3 stages 16/32/64, one basic block each, BN, GAP, fc). */
export function benchModel(numClasses = 10, seed = 1): tfl.LayersModel {
  return createModel({ arch: 'resnet-mini', numClasses, seed });
}

/** A fixed synthetic batch (normalised-image-like values) in the data pipeline's Batch shape. */
export function syntheticBatch(k: number, size: number, numClasses = 10): Batch {
  const rng = streamFor(7, k, size);
  return {
    pixels: Float32Array.from({ length: size * k * k * 3 }, () => rng.normal()),
    labels: Int32Array.from({ length: size }, () => rng.int(numClasses)),
    size,
    k,
    indices: Int32Array.from({ length: size }, (_, i) => i),
  };
}

/**
 * The app's training step (src/engine/train/train-step.ts: upload the batch, forward in training
 * mode, mean cross-entropy, gradients, SGD with momentum 0.9 in PyTorch's form, read loss and
 * accuracy back). No weight decay or label smoothing, as in the PyTorch peer.
 */
export function makeTrainStep(model: tfl.LayersModel, lr = 0.05): (batch: Batch) => Promise<number> {
  const sgd = new Sgd(trainableParams(model.trainableWeights), { momentum: 0.9, nesterov: false, weightDecay: 0 });
  return async (batch) => (await trainStep(model, sgd, batch, { lr, labelSmoothing: 0 })).loss;
}

/** Inference as evaluation runs it (BN on moving statistics); reads the logits back. */
export function makeEvalStep(model: tfl.LayersModel): (batch: Batch) => Promise<void> {
  return async (batch) => {
    const logits = tf.tidy(
      () => model.apply(tf.tensor4d(batch.pixels, [batch.size, batch.k, batch.k, 3]), { training: false }) as tf.Tensor,
    );
    await logits.data();
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
export async function measure(
  fn: () => unknown,
  { warmup, windows, perWindow }: { warmup: number; windows: number; perWindow: number },
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let w = 0; w < windows; w++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < perWindow; i++) await fn();
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
