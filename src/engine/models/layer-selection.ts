import type * as tfl from '@tensorflow/tfjs-layers';
import { isBatchNorm } from './batch-norm-mode';
import type { TrainableMode } from '../../shared/models/trainable';
import { CLASSIFIER_LAYER, POOL_LAYER } from './resnet-head';

const GLOBAL_POOLING = new Set(['GlobalAveragePooling2D', 'GlobalMaxPooling2D']);

/** The `classifier` layer, or (imported models) the last Dense layer. */
export function classifierOf(model: tfl.LayersModel): tfl.layers.Layer {
  const named = model.layers.find((l) => l.name === CLASSIFIER_LAYER);
  const layer = named ?? model.layers.filter((l) => l.getClassName() === 'Dense').at(-1);
  if (!layer)
    throw new Error(`Model "${model.name}" has no classifier (no layer named "${CLASSIFIER_LAYER}" and no Dense layer)`);
  return layer;
}

/** The `pool` layer, or (imported models) the last global pooling layer; null when there is none. */
export function findGlobalPool(model: tfl.LayersModel): tfl.layers.Layer | null {
  return (
    model.layers.find((l) => l.name === POOL_LAYER && GLOBAL_POOLING.has(l.getClassName())) ??
    model.layers.filter((l) => GLOBAL_POOLING.has(l.getClassName())).at(-1) ??
    null
  );
}

/** Every BatchNormalization layer, in topological order. */
export function batchNormLayers(model: tfl.LayersModel): tfl.layers.Layer[] {
  return model.layers.filter(isBatchNorm);
}

/**
 * The BN layer farthest from the input along the longest path (in a ResNet, the last block's
 * main-branch BN rather than its shortcut BN), or null.
 */
export function lastBatchNorm(model: tfl.LayersModel): tfl.layers.Layer | null {
  const depth = new Map<tfl.layers.Layer, number>();
  for (const layer of model.layers) {
    const inbound = layer.inboundNodes.flatMap((node) => node.inboundLayers);
    depth.set(layer, Math.max(0, ...inbound.map((l) => (depth.get(l) ?? 0) + 1)));
  }
  let last: tfl.layers.Layer | null = null;
  for (const layer of batchNormLayers(model)) if (!last || depth.get(layer)! >= depth.get(last)!) last = layer;
  return last;
}

/**
 * Marks the layers `mode` trains as trainable and freezes the rest (frozen BN layers then run in
 * inference mode). Returns the names of the trainable layers that hold weights.
 */
export function selectTrainable(model: tfl.LayersModel, mode: TrainableMode): string[] {
  const chosen = new Set<tfl.layers.Layer>();
  if (mode === 'full') model.layers.forEach((l) => chosen.add(l));
  else {
    chosen.add(classifierOf(model));
    if (mode === 'bn+classifier') batchNormLayers(model).forEach((l) => chosen.add(l));
    if (mode === 'last-bn+classifier') {
      const last = lastBatchNorm(model);
      if (!last) throw new Error(`Model "${model.name}" has no BatchNorm layer to fine-tune`);
      chosen.add(last);
    }
  }
  model.trainable = true;
  for (const layer of model.layers) layer.trainable = chosen.has(layer);
  return model.layers.filter((l) => l.trainable && l.trainableWeights.length > 0).map((l) => l.name);
}
