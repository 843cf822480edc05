import { z } from 'zod';
import { IMAGENET_NORMALIZE } from '../jobs/data-spec';
import { RESNET_TORCH_KEYS, type TorchKeyMapping } from './torch-keys';

/** How images are prepared for a model by default (timm's `pretrained_cfg` data fields). */
export interface Preprocessing {
  /** Side of the square training input, in pixels. */
  inputSize: number;
  /** Side the model is tested at by default (FixRes: usually above inputSize). */
  testInputSize: number;
  /** Test transform: resize the shorter side to floor(K / cropPct), then centre-crop K. */
  cropPct: number;
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  interpolation: 'bilinear' | 'bicubic' | 'nearest';
}

/** One architecture the lab builds: its shape, default preprocessing and how its weights are named in PyTorch. */
export interface ModelEntry {
  family: 'resnet';
  /** One line for humans (CLI help, the model picker's title). */
  description: string;
  /** Residual block: torchvision `BasicBlock` (two 3×3 convs) or `Bottleneck` (1×1, 3×3, 1×1 with 4× expansion). */
  block: 'basic' | 'bottleneck';
  /** cifar: 3×3 conv, stride 1; imagenet: 7×7 conv, stride 2, then a 3×3 max-pool with stride 2. */
  stem: 'cifar' | 'imagenet';
  /** Base channels of the stem and of each stage (before the width multiplier). */
  stemChannels: number;
  stageChannels: readonly number[];
  /** Blocks per stage. */
  blocks: readonly number[];
  /** Whether a run may choose its blocks per stage (RunConfig.blocks). */
  blocksConfigurable: boolean;
  preprocessing: Preprocessing;
  /** Lab layer/weight names ↔ torchvision state-dict keys. */
  torchKeys: TorchKeyMapping;
}

const IMAGENET = { mean: IMAGENET_NORMALIZE.mean, std: IMAGENET_NORMALIZE.std } as const;

/** What torchvision's ImageNet ResNets share: the 7×7 stem, four stages, and the IMAGENET1K_V1 weights' preprocessing. */
const TORCHVISION_RESNET = {
  family: 'resnet',
  stem: 'imagenet',
  stemChannels: 64,
  stageChannels: [64, 128, 256, 512],
  blocksConfigurable: false,
  // Resize(256) + CenterCrop(224), bilinear, ImageNet mean/std.
  preprocessing: { inputSize: 224, testInputSize: 224, cropPct: 0.875, ...IMAGENET, interpolation: 'bilinear' },
  torchKeys: RESNET_TORCH_KEYS,
} as const;

/**
 * Every architecture, once (timm's `register_model` + `pretrained_cfg`, as data). The engine keeps
 * one builder per name (a missing builder does not compile); every list of models derives from here.
 */
export const MODELS = {
  'resnet-mini': {
    family: 'resnet',
    description: 'CIFAR-style ResNet, 3 stages of 16/32/64 channels: quick on a CPU',
    block: 'basic',
    stem: 'cifar',
    stemChannels: 16,
    stageChannels: [16, 32, 64],
    blocks: [1, 1, 1],
    blocksConfigurable: true,
    // The lab's own defaults for it (RunConfig's K_train, crop_pct, interpolation and normalisation).
    preprocessing: { inputSize: 32, testInputSize: 32, cropPct: 0.875, ...IMAGENET, interpolation: 'bilinear' },
    torchKeys: RESNET_TORCH_KEYS,
  },
  resnet18: { ...TORCHVISION_RESNET, description: 'torchvision ResNet-18: basic blocks [2, 2, 2, 2]', block: 'basic', blocks: [2, 2, 2, 2] },
  resnet34: { ...TORCHVISION_RESNET, description: 'torchvision ResNet-34: basic blocks [3, 4, 6, 3]', block: 'basic', blocks: [3, 4, 6, 3] },
  resnet50: {
    ...TORCHVISION_RESNET,
    description: 'torchvision ResNet-50 (v1.5, stride on the 3×3): bottleneck blocks [3, 4, 6, 3]',
    block: 'bottleneck',
    blocks: [3, 4, 6, 3],
  },
  resnet101: {
    ...TORCHVISION_RESNET,
    description: 'torchvision ResNet-101 (v1.5): bottleneck blocks [3, 4, 23, 3]',
    block: 'bottleneck',
    blocks: [3, 4, 23, 3],
  },
  resnet152: {
    ...TORCHVISION_RESNET,
    description: 'torchvision ResNet-152 (v1.5): bottleneck blocks [3, 8, 36, 3]',
    block: 'bottleneck',
    blocks: [3, 8, 36, 3],
  },
} as const satisfies Record<string, ModelEntry>;

export type ArchName = keyof typeof MODELS;
/** Every architecture name, in the order pickers list them. */
export const ARCH_NAMES = Object.keys(MODELS) as [ArchName, ...ArchName[]];
/** An architecture name, validated. */
export const Arch = z.enum(ARCH_NAMES);

/** The registry entry of an architecture. */
export function modelEntry(arch: ArchName): ModelEntry {
  return MODELS[arch];
}

/**
 * Whether a model of `arch` at `width` is exactly one of torchvision's, so that its weights export
 * under torchvision key names that `load_state_dict(strict=True)` accepts (the lab's CIFAR-stem
 * `resnet-mini` and widened ResNets have no torchvision counterpart).
 */
export function isTorchvisionArch(arch: ArchName, width: number): boolean {
  const entry: ModelEntry = MODELS[arch];
  return entry.stem === 'imagenet' && !entry.blocksConfigurable && width === 1;
}
