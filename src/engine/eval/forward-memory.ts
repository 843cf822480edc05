import { totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { forwardRefusal, machineMemory, type ForwardFootprint, type ForwardPlace } from '../../core/forward-memory';
import { userError } from '../../shared/errors';
import { inferenceForward } from './forward';

/** The K of the one pass that measures a model's footprint: small enough to cost ~0.1 s for ResNet-50. */
const PROBE_K = 64;

/** The K and batch a forward-only job will run: its largest K, and its batch (no larger than its images). */
export interface ForwardSize {
  k: number;
  batch: number;
}

/**
 * Refuses, before any image is read, forward passes (sweeps, activation statistics, predictions, a
 * frozen trunk) that would not fit where they run: "K 1024 × batch 64 needs ~N GB; ONNX Runtime has
 * 16 GB (this machine's memory): lower the batch to ≤ M". FIXRES_MEMORY_GB caps the machine's figure
 * (a shared machine); FIXRES_MEMORY_CHECK=off runs anyway (the estimate errs high).
 */
export async function assertForwardFits(model: tfl.LayersModel, place: ForwardPlace, size: ForwardSize): Promise<void> {
  if (process.env.FIXRES_MEMORY_CHECK?.trim() === 'off') return;
  const refusal = forwardRefusal(
    await measureForwardFootprint(model),
    place,
    size.k,
    size.batch,
    machineMemory(totalmem(), process.env.FIXRES_MEMORY_GB),
  );
  if (refusal) throw userError(refusal, 'batchSize');
}

/**
 * Runs the model's tfjs inference pass once on one PROBE_K² image under tf.profile: the growth of
 * tfjs's memory is what a pass keeps per pixel, the largest kernel output what ONNX Runtime's
 * largest buffer grows from. Both scale with K² (every layer's output is a fixed fraction of the input's pixels).
 */
export async function measureForwardFootprint(model: tfl.LayersModel): Promise<ForwardFootprint> {
  const forward = inferenceForward(model, { features: false });
  try {
    const before = tf.memory().numBytes;
    const profile = await tf.profile(() => tf.tidy(() => forward.run(tf.zeros([1, PROBE_K, PROBE_K, 3])).logits));
    tf.dispose(profile.result as tf.Tensor);
    const values = (shape: number[] | null) => (shape ?? []).reduce((a, b) => a * b, 1);
    const largest = Math.max(0, ...profile.kernels.map((k) => k.outputShapes.reduce((s, shape) => s + values(shape), 0)));
    return {
      allOutputsBytesPerPixel: (profile.peakBytes - before) / PROBE_K ** 2,
      largestOutputBytesPerPixel: (4 * largest) / PROBE_K ** 2,
    };
  } finally {
    forward.dispose();
  }
}
