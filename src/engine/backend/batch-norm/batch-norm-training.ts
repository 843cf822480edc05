import * as tf from '@tensorflow/tfjs-core';

/** x·scale + shift per channel (last axis) in one pass: batchNorm with mean 0, variance 1, ε 0 is exactly that. */
export function channelAffine(x: tf.Tensor, scale: tf.Tensor1D, shift: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => {
    const channels = scale.shape[0];
    return tf.batchNorm(x, tf.zeros([channels]), tf.ones([channels]), shift, scale, 0);
  });
}

export interface BatchNormTrainingResult {
  /** (x − μ)·γ/√(σ² + ε) + β, differentiable with respect to x, γ and β. */
  y: tf.Tensor;
  /** Batch mean and (biased) variance per channel, for the moving averages. Not differentiable; the caller disposes them. */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/**
 * Batch normalisation in training mode over every axis but the last, as ONE differentiable op with
 * the closed-form gradient (x̂ = (x − μ)·r, r = 1/√(σ² + ε), M values per channel):
 *   dβ = Σdy    dγ = Σdy·x̂    dx = γr·dy − (γr/M)·dβ − (γr³/M)·(x − μ)·Σdy(x − μ)
 * The composed version (tf.moments + tf.batchNorm, as tfjs-layers builds it) puts ~40 ops per layer
 * on the tape and walks the activation ~20 times; this is 5 passes forward and 6 backward.
 */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const perChannel = x.size / x.shape[x.rank - 1]!;
  let stats: { mean: tf.Tensor1D; variance: tf.Tensor1D } | null = null;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, gammaIn, betaIn, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const mean = tf.mean(xIn, axes) as tf.Tensor1D;
    const centred = tf.sub(xIn, mean);
    const variance = tf.mean(tf.square(centred), axes) as tf.Tensor1D;
    const r = tf.rsqrt(tf.add(variance, epsilon)) as tf.Tensor1D;
    const y = channelAffine(centred, tf.mul(gammaIn, r) as tf.Tensor1D, betaIn);
    stats = { mean: tf.keep(mean), variance: tf.keep(variance) };
    save([centred, r, gammaIn]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [c, rs, g] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
        const grad = dy as tf.Tensor;
        const sumDy = tf.sum(grad, axes) as tf.Tensor1D;
        const sumDyCentred = tf.sum(tf.mul(grad, c), axes) as tf.Tensor1D;
        const gr = tf.mul(g, rs) as tf.Tensor1D;
        const centredCoef = tf.neg(tf.mul(tf.mul(gr, tf.square(rs)), tf.div(sumDyCentred, perChannel))) as tf.Tensor1D;
        const shift = tf.neg(tf.mul(gr, tf.div(sumDy, perChannel))) as tf.Tensor1D;
        const dx = tf.add(channelAffine(grad, gr, tf.zerosLike(gr)), channelAffine(c, centredCoef, shift));
        return [dx, tf.mul(sumDyCentred, rs), sumDy];
      },
    };
  });
  const y = op(x, gamma, beta);
  return { y, ...stats! };
}
