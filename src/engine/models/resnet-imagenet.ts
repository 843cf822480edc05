import * as tfl from '@tensorflow/tfjs-layers';
import { MODELS, type ArchName, type ModelEntry } from '../../shared/models/registry';
import { basicBlock, bottleneckBlock, convBn, pytorchPadded, residualStages, scaled } from './resnet-blocks';
import { imageInput, poolAndClassify } from './resnet-head';
import type { LayerSeeds } from './layer-init';

type Sym = tfl.SymbolicTensor;

export interface ResnetImagenetOptions {
  numClasses: number;
  width: number;
  seeds: LayerSeeds;
}

/** The ImageNet-stem architectures of the registry. */
export type ImagenetArch = { [A in ArchName]: (typeof MODELS)[A]['stem'] extends 'imagenet' ? A : never }[ArchName];

/**
 * torchvision's ImageNet ResNet as the registry describes it (resnet18/34: basic blocks;
 * resnet50/101/152: bottleneck v1.5 blocks, 4× expansion), channels scaled by `width`:
 * stem 7×7 conv c(64) stride 2 → BN → ReLU → 3×3 max-pool stride 2; four stages of c(64),
 * c(128), c(256), c(512) with strides 1, 2, 2, 2; global average pooling → Dense logits.
 * Padded exactly as PyTorch (pytorchPadded: the stem conv, the max-pool and every strided 3×3
 * conv get explicit symmetric zero padding; the max-pool's zeros equal PyTorch's −∞ padding
 * because its input is a ReLU's output).
 */
export function buildResnetImagenet(arch: ImagenetArch, o: ResnetImagenetOptions): tfl.LayersModel {
  const entry: ModelEntry = MODELS[arch];
  const block = entry.block === 'basic' ? basicBlock : bottleneckBlock;
  const input = imageInput();
  let x = convBn(input, {
    name: 'stem',
    filters: scaled(entry.stemChannels, o.width),
    kernel: 7,
    stride: 2,
    relu: true,
    seeds: o.seeds,
    suffix: '',
  });
  const pool = pytorchPadded(x, { name: 'stem_pool', kernel: 3, stride: 2 });
  x = tfl.layers.maxPooling2d({ name: 'stem_pool', poolSize: 3, strides: 2, padding: pool.padding }).apply(pool.x) as Sym;
  x = residualStages(x, { channels: entry.stageChannels, blocks: entry.blocks, block, width: o.width, seeds: o.seeds });
  return tfl.model({ inputs: input, outputs: poolAndClassify(x, o.numClasses, o.seeds), name: arch });
}
