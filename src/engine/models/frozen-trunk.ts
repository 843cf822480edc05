import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { TrainableMode } from '../../shared/models/trainable';
import { bindBatchNormToTrainable } from './batch-norm-mode';
import { classifierOf, lastBatchNorm } from './layer-selection';

type Layer = tfl.layers.Layer;

function inboundOf(layer: Layer): Layer[] {
  return layer.inboundNodes[0]?.inboundLayers ?? [];
}

/**
 * The first layers of what a head-only mode changes in training: the classifier, and for
 * last-bn+classifier the BN before pooling, whether it trains γ/β or only re-estimates its
 * statistics (either way it must run in tfjs, in training mode). Null for the other modes.
 */
export function headRoots(model: tfl.LayersModel, mode: TrainableMode): Layer[] | null {
  if (mode === 'classifier') return [classifierOf(model)];
  if (mode !== 'last-bn+classifier') return null;
  const bn = lastBatchNorm(model);
  return bn ? [bn, classifierOf(model)] : null;
}

/**
 * Where a model splits into a frozen trunk and a head that starts at `roots`: the head is the
 * roots and every layer that reads a head layer's output; the cut is every trunk layer whose
 * output a head layer reads (for last-bn+classifier in a ResNet: the last block's conv before its
 * BN, and the block's shortcut). Empty when the input itself would be cut (nothing to freeze) or
 * the model has shared layers.
 */
export function frozenTrunkCut(model: tfl.LayersModel, roots: readonly Layer[]): string[] {
  if (model.layers.some((l) => l.inboundNodes.length > 1)) return [];
  const head = new Set<Layer>();
  for (const layer of model.layers) if (roots.includes(layer) || inboundOf(layer).some((l) => head.has(l))) head.add(layer);
  const cut = model.layers.filter((l) => !head.has(l) && model.layers.some((c) => head.has(c) && inboundOf(c).includes(l)));
  if (cut.some((l) => l.getClassName() === 'InputLayer')) return [];
  return cut.map((l) => l.name);
}

/** A new layer of the same class and config as `layer` (same name, so the same weight keys). */
function cloneLayer(layer: Layer): Layer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[layer.getClassName()];
  if (!entry) throw new Error(`Layer "${layer.name}" (${layer.getClassName()}) cannot be copied`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, layer.getConfig()) as Layer;
}

/**
 * The head of `model` below `cut` as a model of its own: one input per cut layer (its output,
 * NHWC), copies of the head layers with the model's weights and trainable flags, logits out.
 * The copies share nothing with `model` (its graph stays as it was); copyHeadWeights brings
 * trained values back.
 */
export function buildHeadModel(model: tfl.LayersModel, cut: readonly string[]): tfl.LayersModel {
  const symbolic = new Map<string, tfl.SymbolicTensor>();
  const inputs = cut.map((name) => {
    const shape = model.getLayer(name).outputShape as (number | null)[];
    const input = tfl.input({ shape: shape.slice(1), name: `${name}_head_input` });
    symbolic.set(name, input);
    return input;
  });
  for (const layer of model.layers) {
    if (symbolic.has(layer.name)) continue;
    const inbound = inboundOf(layer);
    if (!inbound.length || !inbound.every((l) => symbolic.has(l.name))) continue;
    const copy = cloneLayer(layer);
    const args = inbound.map((l) => symbolic.get(l.name)!);
    symbolic.set(layer.name, copy.apply(args.length === 1 ? args[0]! : args) as tfl.SymbolicTensor);
    copy.setWeights(layer.getWeights());
    copy.trainable = layer.trainable;
  }
  const logits = symbolic.get(model.outputLayers[0]!.name);
  if (!logits) throw new Error(`The layers after ${cut.join(', ')} do not compute the logits of "${model.name}"`);
  const head = tfl.model({ inputs, outputs: logits, name: `${model.name}-head` });
  bindBatchNormToTrainable(head);
  return head;
}

/** Copies every weight of the head's layers (BN moving statistics too) into the same-named layers of `model`. */
export function copyHeadWeights(head: tfl.LayersModel, model: tfl.LayersModel): void {
  for (const layer of head.layers) if (layer.weights.length) model.getLayer(layer.name).setWeights(layer.getWeights());
}
