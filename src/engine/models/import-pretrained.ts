import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fileSystemIO } from '../checkpoint/fs-io-handler';
import { bindBatchNormToTrainable } from './batch-norm-mode';
import { LayerSeeds } from './layer-init';
import { classifierOf, findGlobalPool } from './layer-selection';
import { classifierLayer } from './resnet-head';

export interface ImportOptions {
  numClasses: number;
  /** Seed of a new classifier when the class count differs. */
  seed?: number;
}

export interface ImportedModel {
  model: tfl.LayersModel;
  /** True when the file's last Dense layer already had numClasses outputs and was kept. */
  classifierKept: boolean;
}

/**
 * Loads a user's tfjs LayersModel (model.json + shards in `dir`) as a starting point: the input
 * is relaxed to [null, null, C], everything after the last global pooling layer is replaced by a
 * linear `classifier` (kept from the file when its shape fits, new otherwise). A model without
 * global pooling is refused: it only works at one input size.
 */
export async function importPretrained(dir: string, options: ImportOptions): Promise<ImportedModel> {
  const artifacts = await fileSystemIO(dir).load();
  if (artifacts.format === 'graph-model') {
    throw new Error(`${dir} holds a TensorFlow.js GraphModel; FixRes Lab needs a LayersModel (tfjs.converters.save_keras_model)`);
  }
  const layers = topologyLayers(artifacts.modelTopology);
  if (!layers.some((l) => l.class_name?.startsWith('Global') && l.class_name.endsWith('Pooling2D'))) throw noGlobalPooling(dir);
  relaxInputShape(layers);
  let loaded: tfl.LayersModel;
  try {
    loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (err) {
    throw new Error(`${dir} could not be loaded as a TensorFlow.js LayersModel: ${(err as Error).message}`);
  }
  const pool = findGlobalPool(loaded);
  if (!pool) {
    loaded.dispose();
    throw noGlobalPooling(dir);
  }
  const features = pool.output as tfl.SymbolicTensor;
  const head = classifierLayer(options.numClasses, new LayerSeeds(options.seed ?? 0));
  const logits = head.apply(features) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: loaded.inputs, outputs: logits, name: loaded.name });
  const classifierKept = copyClassifierIfFits(loaded, head);
  for (const layer of loaded.layers) if (!model.layers.includes(layer)) layer.dispose();
  bindBatchNormToTrainable(model);
  return { model, classifierKept };
}

function copyClassifierIfFits(loaded: tfl.LayersModel, head: tfl.layers.Layer): boolean {
  const old = loaded.layers.find((l) => l.getClassName() === 'Dense') ? classifierOf(loaded) : null;
  if (!old) return false;
  const from = old.getWeights();
  const to = head.getWeights();
  const fits = from.length === 2 && to.length === 2 && from.every((w, i) => tf.util.arraysEqual(w.shape, to[i]!.shape));
  if (fits) head.setWeights(from);
  return fits;
}

interface LayerJson {
  class_name?: string;
  config?: { batch_input_shape?: (number | null)[]; layers?: LayerJson[] };
}

function noGlobalPooling(dir: string): Error {
  return new Error(
    `${dir} has no global pooling layer (GlobalAveragePooling2D): its classifier only works at one input size, so it cannot be tested at other resolutions`,
  );
}

/** The layer list of a Keras functional/sequential topology (tfjs writes it bare or under model_config). */
function topologyLayers(topology: unknown): LayerJson[] {
  const root = (topology ?? {}) as { model_config?: LayerJson } & LayerJson;
  return (root.model_config ?? root).config?.layers ?? [];
}

/** Sets the spatial dims of every declared input shape to null, so the model accepts any resolution. */
function relaxInputShape(layers: LayerJson[]): void {
  for (const layer of layers) {
    const shape = layer.config?.batch_input_shape;
    if (shape?.length === 4) {
      layer.config!.batch_input_shape = [null, null, null, shape[3]!];
    }
  }
}
