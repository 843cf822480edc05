/**
 * How a lab-built ResNet's weights are named in a torchvision state dict. Lab weights are tfjs
 * variable names (`<layer>/<weight>`, kernels HWIO, dense kernels [in, out]); torchvision keys are
 * `<module>.<param>` (conv weights OIHW, linear weights [out, in]).
 */

/** conv: a convolution kernel; dense: the classifier's kernel; vector: biases and BatchNorm vectors. */
export type TensorLayout = 'conv' | 'dense' | 'vector';

/** Axis orders that turn one side's tensor into the other's (tf.transpose / torch.permute arguments). */
export const LAYOUT_PERMUTATION: Record<TensorLayout, { labToTorch: number[]; torchToLab: number[] }> = {
  conv: { labToTorch: [3, 2, 0, 1], torchToLab: [2, 3, 1, 0] },
  dense: { labToTorch: [1, 0], torchToLab: [1, 0] },
  vector: { labToTorch: [0], torchToLab: [0] },
};

/** Both directions of a key mapping; null where a name has no counterpart. */
export interface TorchKeyMapping {
  /** "s1b1_conv1/kernel" → { key: "layer1.0.conv1.weight", layout: "conv" }. */
  toTorch(labWeight: string): { key: string; layout: TensorLayout } | null;
  /** "layer1.0.conv1.weight" → { weight: "s1b1_conv1/kernel", layout: "conv" }. */
  toLab(torchKey: string): { weight: string; layout: TensorLayout } | null;
  /** Torch entries that carry no weight of ours (BatchNorm's num_batches_tracked): skipped, not missing. */
  ignored(torchKey: string): boolean;
}

type LayerKind = 'conv' | 'bn' | 'dense';

/** Lab weight name ↔ torch parameter name, per layer kind. */
const PARAMS: Record<LayerKind, [lab: string, torch: string, layout: TensorLayout][]> = {
  conv: [['kernel', 'weight', 'conv']],
  bn: [
    ['gamma', 'weight', 'vector'],
    ['beta', 'bias', 'vector'],
    ['moving_mean', 'running_mean', 'vector'],
    ['moving_variance', 'running_var', 'vector'],
  ],
  dense: [
    ['kernel', 'weight', 'dense'],
    ['bias', 'bias', 'vector'],
  ],
};

const FIXED: [lab: string, torch: string, kind: LayerKind][] = [
  ['stem_conv', 'conv1', 'conv'],
  ['stem_bn', 'bn1', 'bn'],
  ['classifier', 'fc', 'dense'],
];
const LAB_BLOCK_LAYER = /^s([1-9]\d*)b([1-9]\d*)_(conv|bn)([1-9]\d*)$/;
const LAB_DOWN_LAYER = /^s([1-9]\d*)b([1-9]\d*)_down_(conv|bn)$/;
const TORCH_BLOCK_MODULE = /^layer([1-9]\d*)\.(0|[1-9]\d*)\.(conv|bn)([1-9]\d*)$/;
const TORCH_DOWN_MODULE = /^layer([1-9]\d*)\.(0|[1-9]\d*)\.downsample\.([01])$/;

/** `s2b1_conv1` → ["layer2.0.conv1", "conv"]: stages and convs count from 1 in both; blocks from 1 here, 0 in torch. */
function torchModuleOf(layer: string): [string, LayerKind] | null {
  const fixed = FIXED.find(([lab]) => lab === layer);
  if (fixed) return [fixed[1], fixed[2]];
  const block = LAB_BLOCK_LAYER.exec(layer);
  if (block) {
    const [, s, b, kind, i] = block;
    return [`layer${s}.${Number(b) - 1}.${kind}${i}`, kind as LayerKind];
  }
  const down = LAB_DOWN_LAYER.exec(layer);
  if (down) {
    const [, s, b, kind] = down;
    return [`layer${s}.${Number(b) - 1}.downsample.${kind === 'conv' ? 0 : 1}`, kind as LayerKind];
  }
  return null;
}

function labLayerOf(module: string): [string, LayerKind] | null {
  const fixed = FIXED.find(([, torch]) => torch === module);
  if (fixed) return [fixed[0], fixed[2]];
  const block = TORCH_BLOCK_MODULE.exec(module);
  if (block) {
    const [, s, b, kind, i] = block;
    return [`s${s}b${Number(b) + 1}_${kind}${i}`, kind as LayerKind];
  }
  const down = TORCH_DOWN_MODULE.exec(module);
  if (down) {
    const kind: LayerKind = down[3] === '0' ? 'conv' : 'bn';
    return [`s${down[1]}b${Number(down[2]) + 1}_down_${kind}`, kind];
  }
  return null;
}

function splitLast(name: string, separator: string): [string, string] | null {
  const at = name.lastIndexOf(separator);
  return at > 0 ? [name.slice(0, at), name.slice(at + 1)] : null;
}

/** torchvision's ResNet names (`conv1`, `bn1`, `layer{S}.{B}.conv{i}`, `downsample.0/1`, `fc`) for the lab's ResNets. */
export const RESNET_TORCH_KEYS: TorchKeyMapping = {
  toTorch(labWeight) {
    const parts = splitLast(labWeight, '/');
    const module = parts && torchModuleOf(parts[0]);
    const param = module && PARAMS[module[1]].find(([lab]) => lab === parts[1]);
    return module && param ? { key: `${module[0]}.${param[1]}`, layout: param[2] } : null;
  },
  toLab(torchKey) {
    const parts = splitLast(torchKey, '.');
    const layer = parts && labLayerOf(parts[0]);
    const param = layer && PARAMS[layer[1]].find(([, torch]) => torch === parts[1]);
    return layer && param ? { weight: `${layer[0]}/${param[0]}`, layout: param[2] } : null;
  },
  ignored: (torchKey) => torchKey.endsWith('.num_batches_tracked'),
};
