import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { hwioToOihw, oihwToHwio, transpose2d } from '../weights/layouts';
import type { StateDict } from '../weights/state-dict';
import { createModel } from './create-model';
import {
  guessTorchvisionResnet,
  isIgnoredKey,
  torchShapeOf,
  torchvisionKeyMap,
  TORCHVISION_RESNETS,
  type TorchvisionResnet,
} from './torchvision-keys';

/** How a state_dict fits an architecture: keys it lacks, keys it has in excess, and tensors of the wrong shape. */
export interface WeightsFit {
  missing: string[];
  unexpected: string[];
  wrongShape: { key: string; file: number[]; expected: number[] }[];
}

/**
 * Builds `arch` with the classifier size of the file's `fc.weight` and loads every tensor of
 * `weights` into it (OIHW → HWIO, [out, in] → [in, out]). Anything that does not fit exactly —
 * missing or extra keys, wrong shapes — is refused with the list, as PyTorch's
 * load_state_dict(strict=True) would.
 */
export function createTorchvisionModel(arch: TorchvisionResnet, weights: StateDict): tfl.LayersModel {
  const fc = weights.get('fc.weight');
  if (!fc || fc.shape.length !== 2) throw weightsError(arch, weights, { missing: ['fc.weight'], unexpected: [], wrongShape: [] });
  const model = createModel({ arch, numClasses: fc.shape[0]!, weightsFollow: true });
  try {
    loadTorchvisionWeights(model, arch, weights);
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** Loads a torchvision state_dict into a lab-built `arch` model (refusing one that does not fit; see WeightsFit). */
export function loadTorchvisionWeights(model: tfl.LayersModel, arch: TorchvisionResnet, weights: StateDict): void {
  const map = torchvisionKeyMap(TORCHVISION_RESNETS[arch]);
  const fit: WeightsFit = { missing: [], unexpected: [], wrongShape: [] };
  const values = new Map<string, Map<string, tf.Tensor>>();
  const variables = variablesByLayer(model);
  for (const [key, target] of map) {
    const tensor = weights.get(key);
    const variable = variables.get(target.layer)?.get(target.weight);
    if (!variable) throw new Error(`Internal: ${arch} has no weight ${target.layer}/${target.weight} for ${key}`);
    if (!tensor) {
      fit.missing.push(key);
      continue;
    }
    const expected = torchShapeOf(target.layout, variable.shape as number[]);
    if (!tf.util.arraysEqual(tensor.shape, expected)) {
      fit.wrongShape.push({ key, file: tensor.shape, expected });
      continue;
    }
    const data =
      target.layout === 'conv'
        ? oihwToHwio(tensor.data, tensor.shape)
        : target.layout === 'linear'
          ? transpose2d(tensor.data, tensor.shape)
          : tensor.data;
    if (!values.has(target.layer)) values.set(target.layer, new Map());
    values.get(target.layer)!.set(target.weight, tf.tensor(data, variable.shape as number[]));
  }
  for (const key of weights.keys()) if (!map.has(key) && !isIgnoredKey(key)) fit.unexpected.push(key);
  try {
    if (fit.missing.length || fit.unexpected.length || fit.wrongShape.length) throw weightsError(arch, weights, fit);
    for (const [layer, byWeight] of values) {
      const l = model.getLayer(layer);
      l.setWeights(l.weights.map((w) => byWeight.get(shortName(w.originalName))!));
    }
  } finally {
    for (const byWeight of values.values()) tf.dispose([...byWeight.values()]);
  }
}

/** The lab model's weights in torchvision's state_dict layout (for safetensors export), num_batches_tracked left out. */
export function torchvisionStateOf(
  model: tfl.LayersModel,
  arch: TorchvisionResnet,
): Map<string, { shape: number[]; data: Float32Array }> {
  const variables = variablesByLayer(model);
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [key, target] of torchvisionKeyMap(TORCHVISION_RESNETS[arch])) {
    const variable = variables.get(target.layer)?.get(target.weight);
    if (!variable) throw new Error(`The model has no weight ${target.layer}/${target.weight} (for ${key}); is it a ${arch}?`);
    const values = variable.read().dataSync() as Float32Array;
    const tfjsShape = variable.shape as number[];
    const shape = torchShapeOf(target.layout, tfjsShape);
    const data =
      target.layout === 'conv'
        ? hwioToOihw(values, tfjsShape)
        : target.layout === 'linear'
          ? transpose2d(values, tfjsShape)
          : values.slice();
    out.set(key, { shape, data });
  }
  return out;
}

function variablesByLayer(model: tfl.LayersModel): Map<string, Map<string, tfl.LayerVariable>> {
  return new Map(model.layers.map((l) => [l.name, new Map(l.weights.map((w) => [shortName(w.originalName), w]))]));
}

function shortName(originalName: string): string {
  return originalName.split('/').pop()!;
}

const LISTED = 8;

function listed(items: string[]): string {
  return items.slice(0, LISTED).join(', ') + (items.length > LISTED ? `, … and ${items.length - LISTED} more` : '');
}

/** The refusal, listing what is missing, extra and misshapen, and which architecture the keys look like. */
function weightsError(arch: TorchvisionResnet, weights: StateDict, fit: WeightsFit): Error {
  const parts: string[] = [];
  if (fit.missing.length) parts.push(`${fit.missing.length} missing (${listed(fit.missing)})`);
  if (fit.unexpected.length) parts.push(`${fit.unexpected.length} unexpected (${listed(fit.unexpected)})`);
  if (fit.wrongShape.length) {
    const shapes = fit.wrongShape.map((w) => `${w.key}: [${w.file.join(', ')}] in the file, [${w.expected.join(', ')}] expected`);
    parts.push(`${fit.wrongShape.length} of the wrong shape (${listed(shapes)})`);
  }
  const guess = guessTorchvisionResnet(weights.keys());
  const hint =
    guess && guess !== arch
      ? ` The keys look like ${guess}: import with --arch ${guess}.`
      : guess
        ? ''
        : ' The keys are not those of a torchvision/timm ResNet.';
  return new Error(`These weights do not fit ${arch}: ${parts.join('; ')}.${hint}`);
}
