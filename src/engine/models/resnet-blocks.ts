import * as tfl from '@tensorflow/tfjs-layers';
import { convInit, type LayerSeeds } from './layer-init';

type Sym = tfl.SymbolicTensor;

/** PyTorch's BatchNorm2d defaults: eps 1e-5, running-stat momentum 0.1 (Keras momentum 0.9). */
export const BN_EPSILON = 1e-5;
export const BN_MOMENTUM = 0.9;

export interface ConvBnOptions {
  name: string;
  filters: number;
  kernel: number;
  stride: number;
  relu: boolean;
  seeds: LayerSeeds;
}

/**
 * Conv (no bias) → BatchNorm (→ ReLU): layers `<name>_conv<i>`, `<name>_bn<i>`, `<name>_relu<i>`,
 * padded as PyTorch's `padding=kernel // 2` (see pytorchPadded).
 */
export function convBn(x: Sym, o: ConvBnOptions & { suffix: string }): Sym {
  const name = `${o.name}_conv${o.suffix}`;
  const padded = pytorchPadded(x, { name, kernel: o.kernel, stride: o.stride });
  let y = tfl.layers
    .conv2d({
      name,
      filters: o.filters,
      kernelSize: o.kernel,
      strides: o.stride,
      padding: padded.padding,
      useBias: false,
      kernelInitializer: convInit(o.seeds),
    })
    .apply(padded.x) as Sym;
  y = batchNorm(`${o.name}_bn${o.suffix}`).apply(y) as Sym;
  return o.relu ? (tfl.layers.reLU({ name: `${o.name}_relu${o.suffix}` }).apply(y) as Sym) : y;
}

/**
 * PyTorch pads `kernel // 2` zeros on every side. tfjs 'same' does that for stride 1 (odd
 * kernels) and for 1×1 kernels, but with stride 2 on an even input it pads one zero less on the
 * top/left (e.g. (0, 1) for a 3×3 conv), which shifts every window. There the padding is an
 * explicit ZeroPadding2D layer `<name>_pad` and the conv or pool is 'valid'.
 */
export function pytorchPadded(
  x: Sym,
  o: { name: string; kernel: number; stride: number },
): { x: Sym; padding: 'same' | 'valid' } {
  if (o.stride === 1 || o.kernel === 1) return { x, padding: 'same' };
  const pad = Math.floor(o.kernel / 2);
  return { x: tfl.layers.zeroPadding2d({ name: `${o.name}_pad`, padding: [pad, pad] }).apply(x) as Sym, padding: 'valid' };
}

/** BatchNorm over channels with PyTorch's eps and momentum. */
export function batchNorm(name: string): tfl.layers.Layer {
  return tfl.layers.batchNormalization({ name, axis: -1, epsilon: BN_EPSILON, momentum: BN_MOMENTUM });
}

export interface BlockOptions {
  name: string;
  /** Output channels of the block's last conv (basic) or its 3×3 conv (bottleneck, ×4 out). */
  filters: number;
  stride: number;
  seeds: LayerSeeds;
}

/** torchvision BasicBlock: 3×3 conv-bn-relu, 3×3 conv-bn, + shortcut (1×1 conv-bn when the shape changes), relu. */
export function basicBlock(x: Sym, o: BlockOptions): Sym {
  const inChannels = x.shape[3];
  let y = convBn(x, { ...o, kernel: 3, relu: true, suffix: '1' });
  y = convBn(y, { ...o, kernel: 3, stride: 1, relu: false, suffix: '2' });
  const shortcut = o.stride !== 1 || inChannels !== o.filters ? downsample(x, o, o.filters) : x;
  return addRelu(y, shortcut, o.name);
}

/** torchvision Bottleneck (v1.5, stride on the 3×3): 1×1, 3×3, 1×1 (×4 channels), + shortcut, relu. */
export function bottleneckBlock(x: Sym, o: BlockOptions): Sym {
  const inChannels = x.shape[3];
  const out = o.filters * 4;
  let y = convBn(x, { ...o, kernel: 1, stride: 1, relu: true, suffix: '1' });
  y = convBn(y, { ...o, kernel: 3, relu: true, suffix: '2' });
  y = convBn(y, { ...o, filters: out, kernel: 1, stride: 1, relu: false, suffix: '3' });
  const shortcut = o.stride !== 1 || inChannels !== out ? downsample(x, o, out) : x;
  return addRelu(y, shortcut, o.name);
}

function downsample(x: Sym, o: BlockOptions, filters: number): Sym {
  return convBn(x, { ...o, name: `${o.name}_down`, filters, kernel: 1, relu: false, suffix: '' });
}

function addRelu(y: Sym, shortcut: Sym, name: string): Sym {
  const sum = tfl.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as Sym;
  return tfl.layers.reLU({ name: `${name}_out` }).apply(sum) as Sym;
}

/** Channels scaled by the width multiplier, at least 1. */
export function scaled(channels: number, width: number): number {
  return Math.max(1, Math.round(channels * width));
}

export interface StagesOptions {
  /** Base channels per stage (before the width multiplier). */
  channels: readonly number[];
  blocks: readonly number[];
  block: (x: Sym, o: BlockOptions) => Sym;
  width: number;
  seeds: LayerSeeds;
}

/** Stages of residual blocks named `s<stage>b<block>`; each stage after the first starts with stride 2. */
export function residualStages(x: Sym, o: StagesOptions): Sym {
  o.channels.forEach((channels, s) => {
    for (let b = 0; b < o.blocks[s]!; b++) {
      const stride = b === 0 && s > 0 ? 2 : 1;
      x = o.block(x, { name: `s${s + 1}b${b + 1}`, filters: scaled(channels, o.width), stride, seeds: o.seeds });
    }
  });
  return x;
}
