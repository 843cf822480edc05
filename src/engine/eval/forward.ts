import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createFeatureModel } from '../models/feature-model';
import { compileInference } from '../models/inference-graph';
import { findGlobalPool } from '../models/layer-selection';

/** An inference forward pass: logits, and pooled features when asked for. */
export interface Forward {
  /** Call inside tf.tidy. */
  run(x: tf.Tensor4D): { logits: tf.Tensor2D; pooled: tf.Tensor2D | null };
  /** True when BN is folded into the convolutions (compileInference), false on the layers path. */
  readonly folded: boolean;
  dispose(): void;
}

/**
 * The fastest correct inference path for `model`'s current weights: the folded graph when
 * compileInference knows every layer (and `fold` is not false), else tfjs-layers in inference mode.
 */
export function inferenceForward(model: tfl.LayersModel, options: { features: boolean; fold?: boolean }): Forward {
  const pool = options.features ? findGlobalPool(model) : null;
  if (options.features && !pool)
    throw new Error(`Model "${model.name}" has no global pooling layer, so it has no pooled features`);
  const output = model.outputLayers[0]!.name;
  const graph = options.fold === false ? null : compileInference(model, pool ? [pool.name, output] : [output]);
  if (graph) {
    return {
      folded: true,
      run: (x) => {
        const outs = graph.run(x) as tf.Tensor2D[];
        return pool ? { pooled: outs[0]!, logits: outs[1]! } : { pooled: null, logits: outs[0]! };
      },
      dispose: () => graph.dispose(),
    };
  }
  const featureModel = pool ? createFeatureModel(model) : null;
  return {
    folded: false,
    run: (x) => {
      if (!featureModel) return { pooled: null, logits: model.apply(x, { training: false }) as tf.Tensor2D };
      const [pooled, logits] = featureModel.apply(x, { training: false }) as tf.Tensor2D[];
      return { pooled: pooled!, logits: logits! };
    },
    dispose: () => {},
  };
}
