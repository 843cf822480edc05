import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { MetricsTally, type ClassificationMetrics } from '../../core/metrics';
import type { Batch, BatchSource } from '../data/batch';
import { tfjsForwardPass, type ForwardPass } from './forward-pass';
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
  /**
   * The forward pass to use (e.g. ONNX Runtime, from openForwardPass); it must return pooled
   * features when onFeatures is given. The caller keeps it open. Default: tfjs on `model`.
   */
  forward?: ForwardPass;
  /** Keep every item's prediction and confidence (`items` of the result). */
  keepItems?: boolean;
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
  const tally = new MetricsTally(source.numClasses, options.keepItems ? source.numItems : undefined);
  const features = Boolean(options.onFeatures);
  if (options.forward && features && !options.forward.features)
    throw new Error('evaluate: the forward pass returns no pooled features');
  const forward =
    options.forward ??
    tfjsForwardPass(model, { features, fold: options.foldBatchNorm, backend: tf.getBackend(), reason: 'default' });
  try {
    let done = 0;
    for await (const batch of source.epoch(0, { batchSize: options.batchSize, dropLast: false, signal: options.signal })) {
      if (options.signal?.aborted) throw abortError();
      await tallyBatch(forward, batch, tally, options);
      done += batch.size;
      options.onBatch?.(done);
    }
  } finally {
    if (!options.forward) await forward.dispose();
  }
  return tally.summary();
}

async function tallyBatch(forward: ForwardPass, batch: Batch, tally: MetricsTally, options: EvaluateOptions): Promise<void> {
  const { logits, pooled } = await forward.run(batch);
  try {
    await tallyLogits(tally, logits, batch);
    if (pooled && options.onFeatures) {
      const [features, logitValues] = await Promise.all([pooled.data<'float32'>(), logits.data<'float32'>()]);
      options.onFeatures({ features, dim: pooled.shape[1], labels: batch.labels, indices: batch.indices, logits: logitValues });
    }
  } finally {
    tf.dispose(pooled ? [logits, pooled] : [logits]);
  }
}

/** Adds one batch's logits to `tally` (loss, top-5 hits, predictions, confidences); the logits stay the caller's. */
export async function tallyLogits(
  tally: MetricsTally,
  logits: tf.Tensor2D,
  batch: Pick<Batch, 'labels' | 'indices'>,
): Promise<void> {
  const tensors = metricsTensors(logits, batch);
  try {
    const [lossSum, top5, predictions, confidences] = await Promise.all(tensors.map((t) => t.data()));
    tally.add({
      labels: batch.labels,
      indices: batch.indices,
      predictions: predictions!,
      confidences: confidences!,
      top5Correct: top5![0]!,
      lossSum: lossSum![0]!,
    });
  } finally {
    tf.dispose(tensors);
  }
}

/** Summed loss, top-5 hits, top-1 predictions and their softmax probabilities of a batch's logits. */
function metricsTensors(logits: tf.Tensor2D, batch: Pick<Batch, 'labels'>): [tf.Scalar, tf.Scalar, tf.Tensor1D, tf.Tensor1D] {
  return tf.tidy(() => {
    const labels = tf.tensor1d(batch.labels, 'int32');
    const lossSum = tf.sum(crossEntropyPerSample(logits, labels)) as tf.Scalar;
    const confidence = tf.max(tf.softmax(logits), 1) as tf.Tensor1D;
    return [lossSum, topKCorrect(logits, labels, 5), tf.argMax(logits, 1) as tf.Tensor1D, confidence];
  });
}

/** The error evaluation and training throw when their AbortSignal fires. */
export function abortError(): Error {
  const err = new Error('Cancelled');
  err.name = 'AbortError';
  return err;
}
