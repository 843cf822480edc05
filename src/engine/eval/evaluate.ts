import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { MetricsTally, type ClassificationMetrics } from '../../core/metrics';
import type { Batch, BatchSource } from '../data/batch';
import { inferenceForward, type Forward } from './forward';
import { crossEntropyPerSample, topKCorrect } from '../train/loss';

/** One evaluated batch with its pooled features, for activation statistics. */
export interface FeatureBatch {
  /** size × dim pooled features (after the last ReLU and global average pooling). */
  features: Float32Array;
  dim: number;
  labels: Int32Array;
  indices: Int32Array;
  /** size × numClasses logits. */
  logits: Float32Array;
}

export interface EvaluateOptions {
  batchSize: number;
  signal?: AbortSignal;
  /** Receives every batch's pooled features and logits (runs the feature model instead of the plain one). */
  onFeatures?(batch: FeatureBatch): void;
  /** Called after each batch with the number of images done so far. */
  onBatch?(done: number): void;
  /** Fold BN into the convolutions for speed (default true; false runs the tfjs-layers path). */
  foldBatchNorm?: boolean;
}

/**
 * Evaluates `model` (inference mode: BN uses moving statistics) over every item of `source`, at
 * whatever K the source produces: loss, top-1, top-5, per-class accuracy, confusion matrix.
 * BN is folded into the convolutions when the model allows it (same numbers to ~1e-6, faster).
 * One tf.tidy per batch; nothing stays allocated afterwards.
 */
export async function evaluate(
  model: tfl.LayersModel,
  source: BatchSource,
  options: EvaluateOptions,
): Promise<ClassificationMetrics> {
  const tally = new MetricsTally(source.numClasses, source.numItems);
  const forward = inferenceForward(model, { features: Boolean(options.onFeatures), fold: options.foldBatchNorm });
  try {
    let done = 0;
    for await (const batch of source.epoch(0, { batchSize: options.batchSize, dropLast: false, signal: options.signal })) {
      if (options.signal?.aborted) throw abortError();
      await tallyBatch(forward, batch, tally, options);
      done += batch.size;
      options.onBatch?.(done);
    }
  } finally {
    forward.dispose();
  }
  return tally.summary();
}

async function tallyBatch(forward: Forward, batch: Batch, tally: MetricsTally, options: EvaluateOptions): Promise<void> {
  const outcome = evaluateBatch(forward, batch);
  try {
    const [lossSum, top5, predictions] = await Promise.all(outcome.tensors.map((t) => t.data()));
    tally.add({
      labels: batch.labels,
      indices: batch.indices,
      predictions: predictions!,
      top5Correct: top5![0]!,
      lossSum: lossSum![0]!,
    });
    if (outcome.features.length && options.onFeatures) {
      const [pooled, logits] = outcome.features;
      const [features, logitValues] = await Promise.all([pooled.data<'float32'>(), logits.data<'float32'>()]);
      options.onFeatures({ features, dim: pooled.shape[1], labels: batch.labels, indices: batch.indices, logits: logitValues });
    }
  } finally {
    tf.dispose([...outcome.tensors, ...outcome.features]);
  }
}

type BatchTensors = {
  tensors: [tf.Scalar, tf.Scalar, tf.Tensor1D];
  /** [pooled, logits] when features were asked for, else empty. */
  features: [tf.Tensor2D, tf.Tensor2D] | [];
};

function evaluateBatch(forward: Forward, batch: Batch): BatchTensors {
  return tf.tidy(() => {
    const x = tf.tensor4d(batch.pixels, [batch.size, batch.k, batch.k, 3]);
    const labels = tf.tensor1d(batch.labels, 'int32');
    const { logits, pooled } = forward.run(x);
    const features: BatchTensors['features'] = pooled ? [pooled, logits] : [];
    const lossSum = tf.sum(crossEntropyPerSample(logits, labels)) as tf.Scalar;
    const result: BatchTensors = {
      tensors: [lossSum, topKCorrect(logits, labels, 5), tf.argMax(logits, 1) as tf.Tensor1D],
      features,
    };
    return result;
  });
}

/** The error evaluation and training throw when their AbortSignal fires. */
export function abortError(): Error {
  const err = new Error('Cancelled');
  err.name = 'AbortError';
  return err;
}
