import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Gives every BN layer non-trivial statistics and affine parameters, as a trained model has. */
export function perturbBatchNorm(model: tfl.LayersModel): void {
  let seed = 1;
  for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
    const [gamma, beta, mean, variance] = layer.getWeights();
    layer.setWeights([
      tf.randomUniform(gamma!.shape, 0.5, 1.5, 'float32', seed++),
      tf.randomNormal(beta!.shape, 0, 0.2, 'float32', seed++),
      tf.randomNormal(mean!.shape, 0, 0.3, 'float32', seed++),
      tf.randomUniform(variance!.shape, 0.5, 2, 'float32', seed++),
    ]);
  }
}
