import type * as tfl from '@tensorflow/tfjs-layers';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import type { Tensor } from '@tensorflow/tfjs-core';

const BOUND = Symbol('fixres.bnBoundToTrainable');

/** True for BatchNormalization layers, whatever their name (imported models name them freely). */
export function isBatchNorm(layer: tfl.layers.Layer): boolean {
  return layer.getClassName() === 'BatchNormalization';
}

/**
 * Makes every BN layer of `model` run in inference mode (moving statistics, no updates) while
 * its `trainable` is false, as Keras does since TF 2. tfjs-layers' BN ignores `trainable` and
 * would keep re-estimating the statistics of frozen layers during fine-tuning.
 */
export function bindBatchNormToTrainable(model: tfl.LayersModel): void {
  for (const layer of model.layers) {
    if (!isBatchNorm(layer)) continue;
    const tagged = layer as tfl.layers.Layer & { [BOUND]?: true };
    if (tagged[BOUND]) continue;
    const call = layer.call.bind(layer);
    layer.call = (inputs: Tensor | Tensor[], kwargs: Kwargs) =>
      call(inputs, { ...kwargs, training: Boolean(kwargs['training']) && layer.trainable });
    tagged[BOUND] = true;
  }
}
