import * as tfl from '@tensorflow/tfjs-layers';
import { findGlobalPool } from './layer-selection';

/**
 * A model sharing every layer (so every weight) with `model` that returns
 * [pooled features [N, C], logits [N, numClasses]] in one forward pass: what activation
 * statistics and Fréchet adaptation need next to accuracy.
 */
export function createFeatureModel(model: tfl.LayersModel): tfl.LayersModel {
  const pool = findGlobalPool(model);
  if (!pool) throw new Error(`Model "${model.name}" has no global pooling layer, so it has no pooled features`);
  const features = pool.output as tfl.SymbolicTensor;
  const logits = model.outputs[0]!;
  return tfl.model({ inputs: model.inputs, outputs: [features, logits], name: `${model.name}-features` });
}
