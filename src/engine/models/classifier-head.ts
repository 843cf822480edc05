import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { HeadChange } from '../../shared/jobs/models';
import { bindBatchNormToTrainable } from './batch-norm-mode';
import { LayerSeeds } from './layer-init';
import { classifierOf, findGlobalPool } from './layer-selection';
import { classifierLayer } from './resnet-head';

/**
 * Applies a HeadChange to a model: keeps its classifier, reorders the classifier's outputs, or
 * replaces it by a fresh seeded `classifier` on the pooled features (the old one is disposed and
 * a new model object returned).
 */
export function changeHead(model: tfl.LayersModel, head: HeadChange): tfl.LayersModel {
  if (head.kind === 'keep') return model;
  if (head.kind === 'reorder') {
    reorderClassifier(model, head.order);
    return model;
  }
  return withNewClassifier(model, head.numClasses, head.seed);
}

/** Output i of the classifier becomes what output order[i] was. */
function reorderClassifier(model: tfl.LayersModel, order: readonly number[]): void {
  const layer = classifierOf(model);
  const [kernel, bias] = layer.getWeights();
  const units = kernel!.shape[1]!;
  if (order.length !== units || new Set(order).size !== units || order.some((i) => i < 0 || i >= units)) {
    throw new Error(`A class order of ${order.length} entries cannot reorder a classifier of ${units} classes`);
  }
  const indices = tf.tensor1d([...order], 'int32');
  const reordered = [tf.gather(kernel!, indices, 1), ...(bias ? [tf.gather(bias, indices)] : [])];
  layer.setWeights(reordered);
  tf.dispose([indices, ...reordered]);
}

/** A new model: the same layers up to global pooling, then a fresh `classifier` of numClasses (seeded). */
export function withNewClassifier(model: tfl.LayersModel, numClasses: number, seed: number): tfl.LayersModel {
  const pool = findGlobalPool(model);
  if (!pool) throw new Error(`Model "${model.name}" has no global pooling layer to put a new classifier on`);
  const head = classifierLayer(numClasses, new LayerSeeds(seed));
  const logits = head.apply(pool.output as tfl.SymbolicTensor) as tfl.SymbolicTensor;
  const replaced = tfl.model({ inputs: model.inputs, outputs: logits, name: model.name });
  for (const layer of model.layers) if (!replaced.layers.includes(layer)) layer.dispose();
  bindBatchNormToTrainable(replaced);
  return replaced;
}
