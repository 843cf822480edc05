import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';

const BOUND = Symbol('fixres.bnBoundToTrainable');
const RE_ESTIMATE = Symbol('fixres.bnReEstimate');

type Tagged = tfl.layers.Layer & { [BOUND]?: true; [RE_ESTIMATE]?: boolean };

/** The parts of tfjs-layers' BatchNormalization this file reads (they are public fields of the class). */
interface BatchNormInternals {
  gamma: tfl.LayerVariable | null;
  beta: tfl.LayerVariable | null;
  movingMean: tfl.LayerVariable;
  movingVariance: tfl.LayerVariable;
  epsilon: number;
  /** Keras convention: new = momentum·old + (1 − momentum)·batch. */
  momentum: number;
}

/** True for BatchNormalization layers, whatever their name (imported models name them freely). */
export function isBatchNorm(layer: tfl.layers.Layer): boolean {
  return layer.getClassName() === 'BatchNormalization';
}

/**
 * Marks a frozen BN layer to re-estimate its running statistics in training passes while its
 * γ/β stay fixed: the official FixRes fine-tune puts `layer4[2].bn3` in train() with
 * requires_grad False. A layer that is `trainable` ignores the mark (it trains normally).
 */
export function setReEstimateStatistics(layer: tfl.layers.Layer, on: boolean): void {
  (layer as Tagged)[RE_ESTIMATE] = on;
}

/** Whether `layer` re-estimates its statistics while frozen (setReEstimateStatistics). */
export function reEstimatesStatistics(layer: tfl.layers.Layer): boolean {
  return Boolean((layer as Tagged)[RE_ESTIMATE]);
}

/**
 * Makes every BN layer of `model` run in inference mode (moving statistics, no updates) while
 * its `trainable` is false, as Keras does since TF 2 — tfjs-layers' BN ignores `trainable` and
 * would keep re-estimating the statistics of frozen layers during fine-tuning — except a frozen
 * layer marked by setReEstimateStatistics, which in a training pass normalises with the batch
 * statistics and updates its running ones exactly as PyTorch's BatchNorm2d in train() mode.
 */
export function bindBatchNormToTrainable(model: tfl.LayersModel): void {
  for (const layer of model.layers) {
    if (!isBatchNorm(layer)) continue;
    const tagged = layer as Tagged;
    if (tagged[BOUND]) continue;
    const call = layer.call.bind(layer);
    layer.call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => {
      const training = Boolean(kwargs['training']);
      if (training && !layer.trainable && tagged[RE_ESTIMATE]) return reEstimatingCall(layer, inputs);
      return call(inputs, { ...kwargs, training: training && layer.trainable });
    };
    tagged[BOUND] = true;
  }
}

/**
 * PyTorch's BatchNorm2d forward in train() mode: normalise with the batch mean and the biased
 * batch variance, then move the running mean towards the batch mean and the running variance
 * towards the *unbiased* batch variance (n/(n−1); tfjs-layers' own training path uses the biased
 * one). γ/β are read, never trained. Channels last.
 */
function reEstimatingCall(layer: tfl.layers.Layer, inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  const bn = layer as unknown as BatchNormInternals;
  const x = Array.isArray(inputs) ? inputs[0]! : inputs;
  return tf.tidy(() => {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const { mean, variance } = tf.moments(x, axes);
    const count = x.size / x.shape.at(-1)!;
    const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
    const decay = 1 - bn.momentum;
    for (const [moving, batch] of [
      [bn.movingMean, mean],
      [bn.movingVariance, unbiased],
    ] as const) {
      const old = moving.read();
      moving.write(tf.sub(old, tf.mul(tf.sub(old, batch), decay)));
    }
    return tf.batchNorm(x, mean, variance, bn.beta?.read(), bn.gamma?.read(), bn.epsilon);
  });
}
