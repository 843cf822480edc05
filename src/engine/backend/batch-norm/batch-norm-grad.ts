import * as tf from '@tensorflow/tfjs-core';

/**
 * FusedBatchNorm's gradient with per-channel broadcasting instead of tfjs's: the shipped one tiles
 * rsqrt(variance) to the full activation shape (a 30–50 ms scalar Tile per layer on wasm) and
 * makes ~12 full-size passes. With r = rsqrt(σ² + ε), g = γ·r:
 *   dx|μ,σ² = dy·g      dμ = −g·Σdy      dσ² = −½·γ·r³·Σdy(x − μ)
 *   dγ = r·Σdy(x − μ)   dβ = Σdy
 * — the same partials as tfjs's (μ and σ² still flow back through tf.moments), in five full-size
 * passes. Σ runs over the axes the statistics are broadcast along.
 */
export const batchNormGradConfig: tf.GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const epsilon = (attrs as unknown as tf.FusedBatchNormAttrs).varianceEpsilon;
    const grad = dy as tf.Tensor;
    const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: tf.Tensor) => tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, mean.shape);
    const r = tf.rsqrt(tf.add(variance, epsilon));
    const g = scale ? tf.mul(scale, r) : r;
    // Computed here, not in the closures: the tape runs each closure in its own tidy, and the two
    // sums feed several of them.
    const sumDy = reduce(grad);
    const sumDyCentred = reduce(tf.mul(grad, tf.sub(x, mean)));
    return {
      x: () => tf.mul(grad, g),
      mean: () => tf.neg(tf.mul(g, sumDy)),
      variance: () => tf.mul(tf.mul(scale ?? 1, tf.pow(r, 3)), tf.mul(-0.5, sumDyCentred)),
      scale: () => tf.mul(r, sumDyCentred),
      offset: () => tf.clone(sumDy),
    };
  },
};

/** Replaces tfjs's FusedBatchNorm gradient with ours (all backends; the maths is the same). */
export function registerBatchNormGradient(): void {
  tf.registerGradient(batchNormGradConfig);
}
