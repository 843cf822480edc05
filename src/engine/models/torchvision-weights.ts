import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { MODELS, type ArchName } from '../../shared/models/registry';
import { LAYOUT_PERMUTATION, type TensorLayout } from '../../shared/models/torch-keys';
import { guessArch, torchResnetShape } from '../../shared/models/torch-shape';
import { hwioToOihw, oihwToHwio, transpose2d } from '../weights/layouts';
import type { StateDict } from '../weights/state-dict';
import { createModel } from './create-model';

/** How a state_dict fits an architecture: keys it lacks, keys it has in excess, and tensors of the wrong shape. */
export interface WeightsFit {
  missing: string[];
  unexpected: string[];
  wrongShape: { key: string; file: number[]; expected: number[] }[];
}

/**
 * Builds `arch` as the file describes it — classes from `fc.weight`, width from the stem's
 * channels, blocks per stage for an architecture whose depth is configurable — and loads every
 * tensor of `weights` into it (OIHW → HWIO, [out, in] → [in, out]) through the registry's key
 * mapping. Anything that does not fit exactly (missing or extra keys, wrong shapes) is refused
 * with the list, as PyTorch's load_state_dict(strict=True) would.
 */
export function createTorchvisionModel(
  arch: ArchName,
  weights: StateDict,
): { model: tfl.LayersModel; width: number; blocks: [number, number, number] | null } {
  const entry = MODELS[arch];
  const fc = weights.get('fc.weight');
  const stem = weights.get('conv1.weight');
  if (!fc || fc.shape.length !== 2 || !stem) {
    const missing = [...(stem ? [] : ['conv1.weight']), ...(fc ? [] : ['fc.weight'])];
    throw weightsError(arch, weights, { missing: missing.length ? missing : ['fc.weight'], unexpected: [], wrongShape: [] });
  }
  const shape = torchResnetShape(shapesOf(weights));
  const width = stem.shape[0]! / entry.stemChannels;
  const blocks =
    entry.blocksConfigurable && shape.blocks.length === entry.blocks.length && shape.blocks.every((n) => n > 0)
      ? (shape.blocks as [number, number, number])
      : undefined;
  const model = createModel({ arch, numClasses: fc.shape[0]!, width, blocks, weightsFollow: true });
  try {
    loadTorchvisionWeights(model, arch, weights);
    return { model, width, blocks: blocks ?? null };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** Loads a torchvision state_dict into a lab-built `arch` model (refusing one that does not fit; see WeightsFit). */
export function loadTorchvisionWeights(model: tfl.LayersModel, arch: ArchName, weights: StateDict): void {
  const mapping = MODELS[arch].torchKeys;
  const fit: WeightsFit = { missing: [], unexpected: [], wrongShape: [] };
  const values: tf.Tensor[] = [];
  const assignments: [tfl.LayerVariable, tf.Tensor][] = [];
  const used = new Set<string>();
  try {
    for (const variable of model.weights) {
      const target = mapping.toTorch(variable.originalName);
      if (!target) throw new Error(`Internal: the ${arch} weight ${variable.originalName} has no torchvision key`);
      used.add(target.key);
      const tensor = weights.get(target.key);
      if (!tensor) {
        fit.missing.push(target.key);
        continue;
      }
      const expected = torchShape(target.layout, variable.shape as number[]);
      if (!tf.util.arraysEqual(tensor.shape, expected)) {
        fit.wrongShape.push({ key: target.key, file: tensor.shape, expected });
        continue;
      }
      const value = tf.tensor(toLabLayout(target.layout, tensor.data, tensor.shape), variable.shape as number[]);
      values.push(value);
      assignments.push([variable, value]);
    }
    for (const key of weights.keys()) if (!used.has(key) && !mapping.ignored(key)) fit.unexpected.push(key);
    if (fit.missing.length || fit.unexpected.length || fit.wrongShape.length) throw weightsError(arch, weights, fit);
    for (const [variable, value] of assignments) variable.write(value);
  } finally {
    tf.dispose(values);
  }
}

/** A lab model's weights as a torchvision state_dict (for safetensors export; num_batches_tracked left out). */
export function torchvisionStateOf(model: tfl.LayersModel, arch: ArchName): Map<string, { shape: number[]; data: Float32Array }> {
  const mapping = MODELS[arch].torchKeys;
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const variable of model.weights) {
    const target = mapping.toTorch(variable.originalName);
    if (!target)
      throw new Error(`The model's weight ${variable.originalName} has no torchvision name; is it a lab-built ${arch}?`);
    const shape = variable.shape as number[];
    const values = variable.read().dataSync() as Float32Array;
    const data =
      target.layout === 'conv'
        ? hwioToOihw(values, shape)
        : target.layout === 'dense'
          ? transpose2d(values, shape)
          : values.slice();
    out.set(target.key, { shape: torchShape(target.layout, shape), data });
  }
  return out;
}

function torchShape(layout: TensorLayout, labShape: readonly number[]): number[] {
  return LAYOUT_PERMUTATION[layout].labToTorch.map((axis) => labShape[axis]!);
}

function toLabLayout(layout: TensorLayout, data: Float32Array, torchShape: readonly number[]): Float32Array {
  return layout === 'conv' ? oihwToHwio(data, torchShape) : layout === 'dense' ? transpose2d(data, torchShape) : data;
}

function shapesOf(weights: StateDict): Map<string, number[]> {
  return new Map([...weights].map(([k, t]) => [k, t.shape]));
}

const LISTED = 8;

function listed(items: string[]): string {
  return items.slice(0, LISTED).join(', ') + (items.length > LISTED ? `, … and ${items.length - LISTED} more` : '');
}

/** The refusal, listing what is missing, extra and misshapen, and which architecture the keys look like. */
function weightsError(arch: ArchName, weights: StateDict, fit: WeightsFit): Error {
  const parts: string[] = [];
  if (fit.missing.length) parts.push(`${fit.missing.length} missing (${listed(fit.missing)})`);
  if (fit.unexpected.length) parts.push(`${fit.unexpected.length} unexpected (${listed(fit.unexpected)})`);
  if (fit.wrongShape.length) {
    const shapes = fit.wrongShape.map((w) => `${w.key}: [${w.file.join(', ')}] in the file, [${w.expected.join(', ')}] expected`);
    parts.push(`${fit.wrongShape.length} of the wrong shape (${listed(shapes)})`);
  }
  const guess = guessArch(shapesOf(weights));
  const hint =
    guess && guess !== arch
      ? ` The keys look like ${guess}: import with --arch ${guess}.`
      : guess
        ? ''
        : ' The keys are not those of a torchvision/timm ResNet.';
  return new Error(`These weights do not fit ${arch}: ${parts.join('; ')}.${hint}`);
}
