import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Batch } from '../data/batch';
import { crossEntropyPerSample } from './loss';
import type { Sgd } from './sgd';

export interface StepOutcome {
  /** Mean loss of the batch. */
  loss: number;
  /** Correct top-1 predictions in the batch (before the update). */
  correct: number;
}

/**
 * One SGD step on `batch`: forward in training mode (trainable BN layers use batch statistics and
 * update their moving averages), mean label-smoothed cross-entropy, gradients of the optimiser's
 * parameters, update. Everything except the two numbers it returns is freed.
 */
export async function trainStep(
  model: tfl.LayersModel,
  sgd: Sgd,
  batch: Batch,
  options: {
    lr: number;
    labelSmoothing: number;
    /** The model's inputs when they are not the batch's pixels (a head fed by a frozen trunk); the caller disposes them. */
    inputs?: tf.Tensor[];
  },
): Promise<StepOutcome> {
  let correct: tf.Scalar | null = null;
  let loss: tf.Scalar | null = null;
  try {
    loss = tf.tidy(() => {
      const x = options.inputs ?? tf.tensor4d(batch.pixels, [batch.size, batch.k, batch.k, 3]);
      const labels = tf.tensor1d(batch.labels, 'int32');
      const { value, grads } = tf.variableGrads(
        () => {
          const logits = model.apply(x, { training: true }) as tf.Tensor2D;
          correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32'))) as tf.Scalar;
          return tf.mean(crossEntropyPerSample(logits, labels, options.labelSmoothing)) as tf.Scalar;
        },
        sgd.params.map((p) => p.variable),
      );
      sgd.apply(grads, options.lr);
      return value;
    });
    const [lossValue, correctValue] = await Promise.all([loss.data(), correct!.data()]);
    return { loss: lossValue[0]!, correct: correctValue[0]! };
  } finally {
    tf.dispose([loss, correct].filter((t): t is tf.Scalar => t !== null));
  }
}
