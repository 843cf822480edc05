import type * as tfl from '@tensorflow/tfjs-layers';
import type { GraphBuilder, GraphValue } from './graph-builder';
import type { AttributeValue } from './onnx-proto';
import { batchNormParams, convKernelToOihw, foldBatchNorm, weightsByName, type BatchNormParams } from './onnx-weights';

type Layer = tfl.layers.Layer;

/** Zero padding waiting to be folded into the convolution that reads it: [top, bottom, left, right]. */
export interface PendingPad {
  input: GraphValue;
  pads: [number, number, number, number];
}

/** What converting one layer needs: the builder, its inputs' values, and a BN to fold into a conv. */
export interface ConvertContext {
  g: GraphBuilder;
  layer: Layer;
  inputs: GraphValue[];
  /** A zero padding before this layer that it may absorb (Conv2D with 'valid' padding only). */
  pad: PendingPad | null;
  /** The BN layer that follows a Conv2D and is folded into it (its output name is the BN's). */
  foldedBn: Layer | null;
}

const pair = (v: unknown): [number, number] => {
  const a = [v].flat() as number[];
  return [a[0]!, a[1] ?? a[0]!];
};

/** ONNX attributes for tfjs padding: explicit when symmetric, SAME_UPPER (extra zero after, as TF pads) otherwise. */
function paddingAttributes(
  padding: string,
  kernel: [number, number],
  strides: [number, number],
  extra: number[] | null,
): Record<string, AttributeValue> {
  if (padding === 'valid') return { pads: extra ?? [0, 0, 0, 0] };
  if (padding !== 'same') throw new Error(`ONNX export: padding "${padding}" is not supported`);
  // Stride 1 with an odd kernel pads (k − 1)/2 on both sides at every size, and a 1×1 kernel never pads
  // at any stride (a ResNet's stride-2 shortcut: PyTorch's padding=0); otherwise the split depends on the size.
  if (kernel.every((k) => k % 2 === 1) && (strides.every((s) => s === 1) || kernel.every((k) => k === 1))) {
    const [ph, pw] = kernel.map((k) => (k - 1) / 2);
    return { pads: [ph!, pw!, ph!, pw!] };
  }
  return { auto_pad: 'SAME_UPPER' };
}

function requireChannelsLast(layer: Layer): void {
  const format = layer.getConfig()['dataFormat'];
  if (format !== undefined && format !== 'channelsLast') {
    throw new Error(`ONNX export: layer "${layer.name}" uses ${String(format)}; only channels-last models export`);
  }
}

function activation(g: GraphBuilder, value: string, kind: unknown, name: string, layer: Layer): string {
  if (kind === 'linear' || kind === undefined || kind === null) return value;
  if (kind === 'relu') return g.node('Relu', [value], name);
  throw new Error(`ONNX export: activation "${String(kind)}" of layer "${layer.name}" is not supported`);
}

function conv2d({ g, layer, inputs, pad, foldedBn }: ConvertContext): GraphValue {
  requireChannelsLast(layer);
  const c = layer.getConfig();
  const kernelSize = pair(c['kernelSize']);
  const strides = pair(c['strides']);
  const dilations = pair(c['dilationRate'] ?? 1);
  const w = weightsByName(layer);
  const kernel = w.get('kernel')!;
  let weights = convKernelToOihw(kernel.values, kernel.shape);
  let bias = w.get('bias')?.values ?? null;
  if (foldedBn) ({ kernel: weights, bias } = foldBatchNorm(weights, bias, batchNormParams(foldedBn)));
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  const outName = (foldedBn ?? layer).name;
  const attributes: Record<string, AttributeValue> = {
    kernel_shape: kernelSize,
    strides,
    dilations,
    group: 1,
    ...paddingAttributes(
      c['padding'] as string,
      kernelSize,
      strides,
      pad ? [pad.pads[0], pad.pads[2], pad.pads[1], pad.pads[3]] : null,
    ),
  };
  const inputsOf = [
    (pad?.input ?? inputs[0]!).name,
    g.constant(`${layer.name}.weight`, [cout, cin, kh, kw], weights),
    ...(bias ? [g.constant(`${layer.name}.bias`, [cout], bias)] : []),
  ];
  const activated = foldedBn ? null : c['activation'];
  const convOut = g.node('Conv', inputsOf, activated && activated !== 'linear' ? `${outName}.conv` : outName, attributes);
  return { name: activation(g, convOut, activated, outName, layer), rank: 4 };
}

function batchNorm({ g, layer, inputs }: ConvertContext): GraphValue {
  const p: BatchNormParams = batchNormParams(layer);
  const n = p.mean.length;
  const input = inputs[0]!;
  if (input.rank !== 4 && input.rank !== 2) throw new Error(`ONNX export: BN "${layer.name}" on a rank-${input.rank} value`);
  const names = (['gamma', 'beta', 'mean', 'variance'] as const).map((k) => g.constant(`${layer.name}.${k}`, [n], p[k]));
  const out = g.node('BatchNormalization', [input.name, ...names], layer.name, { epsilon: { float: p.epsilon } });
  return { name: out, rank: input.rank };
}

function maxPool({ g, layer, inputs }: ConvertContext): GraphValue {
  requireChannelsLast(layer);
  const c = layer.getConfig();
  const kernel = pair(c['poolSize']);
  const strides = pair(c['strides'] ?? c['poolSize']);
  const attributes = { kernel_shape: kernel, strides, ...paddingAttributes(c['padding'] as string, kernel, strides, null) };
  // Explicit pads of MaxPool are ignored in the max (as -inf), like TF's 'same'; SAME_UPPER works the same way.
  return { name: g.node('MaxPool', [inputs[0]!.name], layer.name, attributes), rank: 4 };
}

function zeroPad({ g, layer, inputs }: ConvertContext): GraphValue {
  const [[top, bottom], [left, right]] = zeroPadding(layer);
  const pads = g.constant(`${layer.name}.pads`, [8], BigInt64Array.from([0, 0, top, left, 0, 0, bottom, right].map(BigInt)));
  return { name: g.node('Pad', [inputs[0]!.name, pads], layer.name, { mode: 'constant' }), rank: 4 };
}

/** ZeroPadding2D's [[top, bottom], [left, right]]. */
export function zeroPadding(layer: Layer): [[number, number], [number, number]] {
  requireChannelsLast(layer);
  const p = layer.getConfig()['padding'] as number | [number, number] | [[number, number], [number, number]];
  if (typeof p === 'number')
    return [
      [p, p],
      [p, p],
    ];
  if (typeof p[0] === 'number') return [pair(p[0]), pair(p[1])];
  return p as [[number, number], [number, number]];
}

function globalAveragePool({ g, layer, inputs }: ConvertContext): GraphValue {
  requireChannelsLast(layer);
  if (layer.getConfig()['keepDims']) throw new Error(`ONNX export: "${layer.name}" keeps its dims; only [N, C] pooling exports`);
  const pooled = g.node('GlobalAveragePool', [inputs[0]!.name], `${layer.name}.nc11`);
  return { name: g.node('Flatten', [pooled], layer.name, { axis: 1 }), rank: 2 };
}

function flatten({ g, layer, inputs }: ConvertContext): GraphValue {
  const input = inputs[0]!;
  if (input.rank === 2) return input;
  // tfjs flattens NHWC order: go back to channels-last first.
  const nhwc = g.node('Transpose', [input.name], `${layer.name}.nhwc`, { perm: [0, 2, 3, 1] });
  return { name: g.node('Flatten', [nhwc], layer.name, { axis: 1 }), rank: 2 };
}

function dense({ g, layer, inputs }: ConvertContext): GraphValue {
  const input = inputs[0]!;
  if (input.rank !== 2) throw new Error(`ONNX export: Dense "${layer.name}" on a rank-${input.rank} value`);
  const w = weightsByName(layer);
  const kernel = w.get('kernel')!;
  const [k, units] = kernel.shape as [number, number];
  const bias = w.get('bias')?.values ?? new Float32Array(units);
  const kind = layer.getConfig()['activation'];
  const ins = [
    input.name,
    g.constant(`${layer.name}.weight`, [k, units], kernel.values),
    g.constant(`${layer.name}.bias`, [units], bias),
  ];
  const out = g.node('Gemm', ins, kind === 'relu' ? `${layer.name}.gemm` : layer.name);
  return { name: activation(g, out, kind, layer.name, layer), rank: 2 };
}

function relu({ g, layer, inputs }: ConvertContext): GraphValue {
  const c = layer.getConfig();
  const kind = layer.getClassName() === 'ReLU' ? (c['maxValue'] == null ? 'relu' : 'relu6-like') : c['activation'];
  if (kind === 'linear') return inputs[0]!;
  return { name: activation(g, inputs[0]!.name, kind, layer.name, layer), rank: inputs[0]!.rank };
}

function add({ g, layer, inputs }: ConvertContext): GraphValue {
  const op = inputs.length === 2 ? 'Add' : 'Sum';
  return {
    name: g.node(
      op,
      inputs.map((v) => v.name),
      layer.name,
    ),
    rank: inputs[0]!.rank,
  };
}

/** Converters by tfjs layer class. */
export const CONVERTERS: Record<string, (ctx: ConvertContext) => GraphValue> = {
  Conv2D: conv2d,
  BatchNormalization: batchNorm,
  MaxPooling2D: maxPool,
  ZeroPadding2D: zeroPad,
  GlobalAveragePooling2D: globalAveragePool,
  Flatten: flatten,
  Dense: dense,
  ReLU: relu,
  Activation: relu,
  Add: add,
  Dropout: ({ inputs }) => inputs[0]!,
};
