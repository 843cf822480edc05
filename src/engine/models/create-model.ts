import type * as tfl from '@tensorflow/tfjs-layers';
import { bindBatchNormToTrainable } from './batch-norm-mode';
import { LayerSeeds } from './layer-init';
import { buildResnetImagenet } from './resnet-imagenet';
import { buildResnetMini, RESNET_MINI_DEFAULT_BLOCKS } from './resnet-mini';

/** The architectures createModel builds. */
export const ARCHITECTURES = ['resnet-mini', 'resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export interface ModelConfig {
  arch: Architecture;
  numClasses: number;
  /** Channel multiplier (1 = the paper's widths). */
  width?: number;
  /** Seed of the weight initialisation; the same seed builds the same weights. */
  seed?: number;
  /** resnet-mini only: basic blocks per stage (default [1, 1, 1]). */
  blocks?: readonly [number, number, number];
  /** Weights are loaded right after building: skip the random initialisation (zeros, much faster). */
  weightsFollow?: boolean;
}

/**
 * Builds a resolution-agnostic classifier (input [null, null, 3], logits out) with BatchNorm,
 * global average pooling (`pool`) and a Dense `classifier`. BN layers with trainable = false
 * run in inference mode (see batch-norm-mode.ts).
 */
export function createModel(config: ModelConfig): tfl.LayersModel {
  const width = config.width ?? 1;
  if (!Number.isInteger(config.numClasses) || config.numClasses < 1) {
    throw new Error(`numClasses must be a positive integer, got ${config.numClasses}`);
  }
  if (!(width > 0 && width <= 8)) throw new Error(`width must be in (0, 8], got ${width}`);
  const seeds = new LayerSeeds(config.seed ?? 0, config.weightsFollow ? 'zeros' : 'seeded');
  const model =
    config.arch === 'resnet-mini'
      ? buildResnetMini({ numClasses: config.numClasses, width, seeds, blocks: config.blocks ?? RESNET_MINI_DEFAULT_BLOCKS })
      : buildResnetImagenet(config.arch, { numClasses: config.numClasses, width, seeds });
  bindBatchNormToTrainable(model);
  return model;
}
