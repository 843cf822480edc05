import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { batchNormTraining } from './batch-norm-training';

type LayerCall = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

interface BatchNormLayer {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: { read(): tf.Tensor };
  beta: { read(): tf.Tensor };
  movingMean: { read(): tf.Tensor; write(value: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(value: tf.Tensor): void };
}

let original: LayerCall | null = null;

/**
 * Makes tfjs-layers' BatchNormalization use batchNormTraining() in training mode, with the same
 * outputs and the same moving-average updates (m ← m − (1 − momentum)·(m − batch statistic),
 * biased variance) as tfjs-layers. Inference, other axes and layers without γ/β keep tfjs-layers'
 * own code. tfjs-layers offers no hook for this, hence the prototype; models pick it up at build
 * time, so install it (ensureBackend does) before building models. Returns an uninstall function.
 */
export function installFusedBatchNorm(): () => void {
  const proto = Object.getPrototypeOf(tfl.layers.batchNormalization({})) as { call: LayerCall };
  if (original) return uninstall;
  original = proto.call;
  const shipped = original;
  proto.call = function (this: BatchNormLayer, inputs, kwargs) {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const lastAxis = this.axis === -1 || this.axis === x.rank - 1;
    if (!kwargs['training'] || !lastAxis || !this.center || !this.scale) return shipped.call(this, inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTraining(
        x,
        this.gamma.read() as tf.Tensor1D,
        this.beta.read() as tf.Tensor1D,
        this.epsilon,
      );
      movingAverage(this.movingMean, mean, this.momentum);
      movingAverage(this.movingVariance, variance, this.momentum);
      tf.dispose([mean, variance]);
      return y;
    });
  };
  return uninstall;

  function uninstall(): void {
    if (original) proto.call = original;
    original = null;
  }
}

function movingAverage(variable: BatchNormLayer['movingMean'], value: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const current = variable.read();
    variable.write(tf.sub(current, tf.mul(tf.sub(current, value), 1 - momentum)));
  });
}
