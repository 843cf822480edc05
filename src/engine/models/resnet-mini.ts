import * as tfl from '@tensorflow/tfjs-layers';
import { MODELS } from '../../shared/models/registry';
import { basicBlock, convBn, residualStages, scaled } from './resnet-blocks';
import { imageInput, poolAndClassify } from './resnet-head';
import type { LayerSeeds } from './layer-init';

const MINI = MODELS['resnet-mini'];

export interface ResnetMiniOptions {
  numClasses: number;
  width: number;
  /** Basic blocks in each of the three stages. */
  blocks: readonly [number, number, number];
  seeds: LayerSeeds;
}

/**
 * CIFAR-style ResNet (He et al. 2016, §4.2) for small inputs, with c(n) = max(1, round(n·width)):
 *
 * - input [N, H, W, 3] (any H, W; NHWC)
 * - stem: 3×3 conv c(16), stride 1, no bias → BN → ReLU
 * - stage 1: blocks[0] basic blocks, c(16), first block stride 1
 * - stage 2: blocks[1] basic blocks, c(32), first block stride 2
 * - stage 3: blocks[2] basic blocks, c(64), first block stride 2
 * - basic block: 3×3 conv (stride s) → BN → ReLU → 3×3 conv → BN; shortcut = identity, or
 *   1×1 conv (stride s, no bias) → BN when the stride or channel count changes; add → ReLU
 * - global average pooling → Dense(numClasses) logits
 *
 * Convs are padded as PyTorch's padding=1 (resnet-blocks.ts pytorchPadded: explicit symmetric
 * zeros before the strided 3×3 convs; models saved before that kept tfjs 'same', which puts the
 * extra zero bottom/right). BN: eps 1e-5, running-stat momentum 0.1 in PyTorch terms. Default blocks [1, 1, 1]; [3, 3, 3] is ResNet-20.
 * In PyTorch: `nn.Conv2d(3, 16, 3, padding=1, bias=False)` stem, torchvision `BasicBlock`s,
 * `AdaptiveAvgPool2d(1)`, `nn.Linear(64, numClasses)`.
 */
export function buildResnetMini(o: ResnetMiniOptions): tfl.LayersModel {
  const input = imageInput();
  let x = convBn(input, {
    name: 'stem',
    filters: scaled(MINI.stemChannels, o.width),
    kernel: 3,
    stride: 1,
    relu: true,
    seeds: o.seeds,
    suffix: '',
  });
  x = residualStages(x, { channels: MINI.stageChannels, blocks: o.blocks, block: basicBlock, width: o.width, seeds: o.seeds });
  return tfl.model({ inputs: input, outputs: poolAndClassify(x, o.numClasses, o.seeds), name: 'resnet-mini' });
}
