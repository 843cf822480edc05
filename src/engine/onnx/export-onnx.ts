import type * as tfl from '@tensorflow/tfjs-layers';
import { findGlobalPool } from '../models/layer-selection';
import { GraphBuilder, type GraphValue } from './graph-builder';
import { CONVERTERS, zeroPadding, type PendingPad } from './layer-converters';
import { encodeModel, type ValueSpec } from './onnx-proto';

type Layer = tfl.layers.Layer;

/** Name of the graph input: a batch of NHWC float32 images, any batch size, height and width. */
export const ONNX_INPUT = 'image';
export const ONNX_LOGITS = 'logits';
export const ONNX_POOLED = 'pooled';

/** Bumped whenever the exporter writes a different graph for the same weights (invalidates cached files). */
export const EXPORTER_VERSION = 2;

export interface OnnxExportOptions {
  /** Layers whose outputs the graph also returns (4-D ones as NHWC), e.g. where a head-only fine-tune cuts the model. */
  layerOutputs?: readonly string[];
  /** Return only `layerOutputs` (no logits or pooled): the frozen trunk below a trainable head. */
  trunkOnly?: boolean;
  /** Producer version written into the file. */
  producerVersion?: string;
}

export interface OnnxExport {
  bytes: Uint8Array;
  /** Graph output name of each requested layer. */
  layerOutputs: Record<string, string>;
  /** The graph's outputs, in order. */
  outputs: string[];
}

/**
 * Writes a tfjs LayersModel (the lab's ResNets, checkpoints and imported models) as an ONNX model
 * with a dynamic batch, height and width: input `image` [N, H, W, 3] (NHWC, transposed to NCHW
 * inside the graph), outputs `logits` and `pooled` (the features after global pooling). BN layers
 * that follow a convolution are folded into it; ZeroPadding2D before a 'valid' convolution becomes
 * the convolution's pads; tfjs 'same' padding that can be asymmetric becomes SAME_UPPER.
 * Throws, naming the layer, on anything it cannot express exactly.
 */
export function exportOnnx(model: tfl.LayersModel, options: OnnxExportOptions = {}): OnnxExport {
  if (model.inputs.length !== 1) throw new Error(`ONNX export: model "${model.name}" has ${model.inputs.length} inputs, not 1`);
  const inputShape = model.inputs[0]!.shape;
  if (inputShape.length !== 4)
    throw new Error(`ONNX export: model "${model.name}" does not take images (input rank ${inputShape.length})`);
  const requested = new Set(options.layerOutputs ?? []);
  for (const name of requested) model.getLayer(name); // throws a clear error for an unknown layer
  const g = new GraphBuilder();
  const consumers = consumersOf(model);
  const values = new Map<string, GraphValue>();
  const pending = new Map<string, PendingPad>();
  const foldedInto = new Map<string, Layer>();

  const inputLayer = model.inputLayers[0]!;
  for (const name of [ONNX_INPUT, ONNX_LOGITS, ONNX_POOLED]) g.reserve(name);
  values.set(inputLayer.name, { name: g.node('Transpose', [ONNX_INPUT], 'image.nchw', { perm: [0, 3, 1, 2] }), rank: 4 });

  for (const layer of model.layers) {
    if (layer === inputLayer) continue;
    if (layer.inboundNodes.length !== 1)
      throw new Error(`ONNX export: layer "${layer.name}" is used ${layer.inboundNodes.length} times`);
    const inbound = layer.inboundNodes[0]!.inboundLayers;
    const kind = layer.getClassName();
    const target = foldedInto.get(layer.name);
    if (target) {
      values.set(layer.name, values.get(target.name)!);
      continue;
    }
    const only = (consumers.get(layer.name) ?? []).length === 1 ? consumers.get(layer.name)![0]! : null;
    if (
      kind === 'ZeroPadding2D' &&
      only?.getClassName() === 'Conv2D' &&
      only.getConfig()['padding'] === 'valid' &&
      !requested.has(layer.name)
    ) {
      const [[top, bottom], [left, right]] = zeroPadding(layer);
      pending.set(layer.name, { input: valueOf(values, inbound[0]!), pads: [top, bottom, left, right] });
      continue;
    }
    const converter = CONVERTERS[kind];
    if (!converter) {
      throw new Error(
        `ONNX export: layer "${layer.name}" (${kind}) has no ONNX form here; supported: ${Object.keys(CONVERTERS).join(', ')}`,
      );
    }
    const foldedBn =
      kind === 'Conv2D' && only?.getClassName() === 'BatchNormalization' && !requested.has(layer.name) ? only : null;
    if (foldedBn) foldedInto.set(foldedBn.name, layer);
    const pad = inbound.length === 1 ? (pending.get(inbound[0]!.name) ?? null) : null;
    const inputs = pad ? [] : inbound.map((l) => valueOf(values, l));
    const value = converter({ g, layer, inputs, pad, foldedBn });
    values.set(layer.name, value);
    if (foldedBn) values.set(foldedBn.name, value);
  }
  return finish(model, g, values, requested, options);
}

function finish(
  model: tfl.LayersModel,
  g: GraphBuilder,
  values: Map<string, GraphValue>,
  requested: Set<string>,
  options: OnnxExportOptions,
): OnnxExport {
  const outputs: ValueSpec[] = [];
  const layerOutputs: Record<string, string> = {};
  if (!options.trunkOnly) {
    const logits = valueOf(values, model.outputLayers[0]!);
    const pool = findGlobalPool(model);
    if (!pool) throw new Error(`ONNX export: model "${model.name}" has no global pooling layer, so it has no pooled output`);
    const classes = model.outputs[0]!.shape.at(-1) as number;
    const channels = pool.outputShape.at(-1) as number;
    outputs.push({ name: g.nodeAs('Identity', [logits.name], ONNX_LOGITS), dims: ['batch', classes] });
    outputs.push({ name: g.nodeAs('Identity', [valueOf(values, pool).name], ONNX_POOLED), dims: ['batch', channels] });
  }
  for (const name of requested) {
    const layer = model.getLayer(name);
    const value = valueOf(values, layer);
    const channels = (layer.outputShape as number[]).at(-1)!;
    const out =
      value.rank === 4
        ? g.node('Transpose', [value.name], `${name}.nhwc`, { perm: [0, 2, 3, 1] })
        : g.node('Identity', [value.name], `${name}.out`);
    layerOutputs[name] = out;
    const dims = value.rank === 4 ? ['batch', `${name}.height`, `${name}.width`, channels] : ['batch', channels];
    outputs.push({ name: out, dims });
  }
  if (!outputs.length) throw new Error('ONNX export: nothing to export (trunkOnly without layerOutputs)');
  const spec = g.build({
    graphName: model.name,
    inputs: [{ name: ONNX_INPUT, dims: ['batch', 'height', 'width', model.inputs[0]!.shape[3] ?? 3] }],
    outputs,
    producer: { name: 'FixRes Lab', version: options.producerVersion ?? String(EXPORTER_VERSION) },
    docString: `${model.name}: NHWC float32 images in, ${options.trunkOnly ? 'frozen trunk features' : 'logits and pooled features'} out`,
  });
  return { bytes: encodeModel(spec), layerOutputs, outputs: outputs.map((o) => o.name) };
}

function valueOf(values: Map<string, GraphValue>, layer: Layer): GraphValue {
  const value = values.get(layer.name);
  if (!value) throw new Error(`ONNX export: layer "${layer.name}" is read before it is computed`);
  return value;
}

/** The layers that read each layer's output. */
function consumersOf(model: tfl.LayersModel): Map<string, Layer[]> {
  const consumers = new Map<string, Layer[]>();
  for (const layer of model.layers)
    for (const node of layer.inboundNodes)
      for (const input of node.inboundLayers) consumers.set(input.name, [...(consumers.get(input.name) ?? []), layer]);
  return consumers;
}
