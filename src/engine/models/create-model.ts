import type * as tfl from '@tensorflow/tfjs-layers';
import { MODELS, type ArchName } from '../../shared/models/registry';
import { bindBatchNormToTrainable } from './batch-norm-mode';
import { LayerSeeds } from './layer-init';
import { buildResnetImagenet } from './resnet-imagenet';
import { buildResnetMini } from './resnet-mini';

export type { ArchName } from '../../shared/models/registry';

export interface ModelConfig {
  arch: ArchName;
  numClasses: number;
  /** Channel multiplier (1 = the paper's widths). */
  width?: number;
  /** Seed of the weight initialisation; the same seed builds the same weights. */
  seed?: number;
  /** resnet-mini only: basic blocks per stage (default: the registry's [1, 1, 1]). */
  blocks?: readonly [number, number, number];
  /** Weights are loaded right after building: skip the random initialisation (zeros, much faster). */
  weightsFollow?: boolean;
}

interface BuildOptions {
  numClasses: number;
  width: number;
  seeds: LayerSeeds;
  blocks?: readonly [number, number, number];
}

/** One builder per registered architecture: a registry entry without one does not compile. */
const BUILDERS: Record<ArchName, (o: BuildOptions) => tfl.LayersModel> = {
  'resnet-mini': (o) => buildResnetMini({ ...o, blocks: o.blocks ?? MODELS['resnet-mini'].blocks }),
  resnet18: (o) => buildResnetImagenet('resnet18', o),
  resnet34: (o) => buildResnetImagenet('resnet34', o),
  resnet50: (o) => buildResnetImagenet('resnet50', o),
  resnet101: (o) => buildResnetImagenet('resnet101', o),
  resnet152: (o) => buildResnetImagenet('resnet152', o),
};

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
  const build = BUILDERS[config.arch];
  const seeds = new LayerSeeds(config.seed ?? 0, config.weightsFollow ? 'zeros' : 'seeded');
  const model = build({ numClasses: config.numClasses, width, seeds, blocks: config.blocks });
  bindBatchNormToTrainable(model);
  return model;
}
