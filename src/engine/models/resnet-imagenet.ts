import * as tfl from '@tensorflow/tfjs-layers';
import { basicBlock, bottleneckBlock, convBn, pytorchPadded, residualStages, scaled, type BlockOptions } from './resnet-blocks';
import { imageInput, poolAndClassify } from './resnet-head';
import type { LayerSeeds } from './layer-init';

type Sym = tfl.SymbolicTensor;

export interface ResnetImagenetOptions {
  numClasses: number;
  width: number;
  seeds: LayerSeeds;
}

interface Variant {
  blocks: readonly number[];
  block: (x: Sym, o: BlockOptions) => Sym;
}

/** torchvision's variants: basic blocks for 18/34, bottleneck v1.5 blocks (4× expansion) from 50 on. */
export const RESNET_VARIANTS = {
  resnet18: { blocks: [2, 2, 2, 2], block: basicBlock },
  resnet34: { blocks: [3, 4, 6, 3], block: basicBlock },
  resnet50: { blocks: [3, 4, 6, 3], block: bottleneckBlock },
  resnet101: { blocks: [3, 4, 23, 3], block: bottleneckBlock },
  resnet152: { blocks: [3, 8, 36, 3], block: bottleneckBlock },
} satisfies Record<string, Variant>;

export type ResnetVariant = keyof typeof RESNET_VARIANTS;

/**
 * torchvision's ImageNet ResNet, channels scaled by `width`: stem 7×7 conv c(64) stride 2 → BN →
 * ReLU → 3×3 max-pool stride 2; four stages of c(64), c(128), c(256), c(512) with strides 1, 2,
 * 2, 2; global average pooling → Dense logits. Padded exactly as PyTorch (pytorchPadded: the
 * stem conv, the max-pool and every strided 3×3 conv get explicit symmetric zero padding; the
 * max-pool's zeros equal PyTorch's −∞ padding because its input is a ReLU's output).
 */
export function buildResnetImagenet(variant: ResnetVariant, o: ResnetImagenetOptions): tfl.LayersModel {
  const v: Variant = RESNET_VARIANTS[variant];
  const input = imageInput();
  let x = convBn(input, {
    name: 'stem',
    filters: scaled(64, o.width),
    kernel: 7,
    stride: 2,
    relu: true,
    seeds: o.seeds,
    suffix: '',
  });
  const pool = pytorchPadded(x, { name: 'stem_pool', kernel: 3, stride: 2 });
  x = tfl.layers.maxPooling2d({ name: 'stem_pool', poolSize: 3, strides: 2, padding: pool.padding }).apply(pool.x) as Sym;
  x = residualStages(x, { channels: [64, 128, 256, 512], blocks: v.blocks, block: v.block, width: o.width, seeds: o.seeds });
  return tfl.model({ inputs: input, outputs: poolAndClassify(x, o.numClasses, o.seeds), name: variant });
}
