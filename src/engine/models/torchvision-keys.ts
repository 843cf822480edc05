/** How a PyTorch tensor becomes a tfjs weight: conv OIHW → HWIO, linear [out, in] → [in, out], or as is. */
export type KeyLayout = 'conv' | 'linear' | 'vector';

/** Where one torchvision state_dict key goes in a lab-built model. */
export interface KeyTarget {
  /** Layer name in the lab's model (`stem_conv`, `s1b1_bn2`, `s2b1_down_conv`, `classifier`). */
  layer: string;
  /** The tfjs weight of that layer (`kernel`, `bias`, `gamma`, `beta`, `moving_mean`, `moving_variance`). */
  weight: string;
  layout: KeyLayout;
}

/** The shape of a torchvision ResNet: blocks per stage and the block type. */
export interface ResnetShape {
  blocks: readonly number[];
  bottleneck: boolean;
}

/** torchvision (and timm) ResNets as the registry lists them. */
export const TORCHVISION_RESNETS = {
  resnet18: { blocks: [2, 2, 2, 2], bottleneck: false },
  resnet34: { blocks: [3, 4, 6, 3], bottleneck: false },
  resnet50: { blocks: [3, 4, 6, 3], bottleneck: true },
  resnet101: { blocks: [3, 4, 23, 3], bottleneck: true },
  resnet152: { blocks: [3, 8, 36, 3], bottleneck: true },
} as const satisfies Record<string, ResnetShape>;

export type TorchvisionResnet = keyof typeof TORCHVISION_RESNETS;

/** Keys torchvision saves that carry no weights the model uses. */
export function isIgnoredKey(key: string): boolean {
  return key.endsWith('.num_batches_tracked');
}

const BN_WEIGHTS = { weight: 'gamma', bias: 'beta', running_mean: 'moving_mean', running_var: 'moving_variance' } as const;

/**
 * Every state_dict key of a torchvision ResNet (`conv1.weight`, `bn1.running_var`,
 * `layer2.0.downsample.0.weight`, `fc.bias`, …) with its place in the lab's model of the same
 * architecture, in torchvision's order (num_batches_tracked left out).
 */
export function torchvisionKeyMap(shape: ResnetShape): Map<string, KeyTarget> {
  const map = new Map<string, KeyTarget>();
  const conv = (key: string, layer: string) => map.set(`${key}.weight`, { layer, weight: 'kernel', layout: 'conv' });
  const bn = (key: string, layer: string) => {
    for (const [torch, tfjs] of Object.entries(BN_WEIGHTS)) map.set(`${key}.${torch}`, { layer, weight: tfjs, layout: 'vector' });
  };
  conv('conv1', 'stem_conv');
  bn('bn1', 'stem_bn');
  const convsPerBlock = shape.bottleneck ? 3 : 2;
  shape.blocks.forEach((count, s) => {
    for (let b = 0; b < count; b++) {
      const key = `layer${s + 1}.${b}`;
      const layer = `s${s + 1}b${b + 1}`;
      for (let c = 1; c <= convsPerBlock; c++) {
        conv(`${key}.conv${c}`, `${layer}_conv${c}`);
        bn(`${key}.bn${c}`, `${layer}_bn${c}`);
      }
      // The first block of a stage changes stride or channels (bottlenecks: also stage 1, 64 → 256).
      if (b === 0 && (s > 0 || shape.bottleneck)) {
        conv(`${key}.downsample.0`, `${layer}_down_conv`);
        bn(`${key}.downsample.1`, `${layer}_down_bn`);
      }
    }
  });
  map.set('fc.weight', { layer: 'classifier', weight: 'kernel', layout: 'linear' });
  map.set('fc.bias', { layer: 'classifier', weight: 'bias', layout: 'vector' });
  return map;
}

/**
 * The torchvision ResNet whose keys `keys` are (blocks per `layerN` and whether blocks have a
 * `conv3`), or null when they are not a torchvision ResNet's.
 */
export function guessTorchvisionResnet(keys: Iterable<string>): TorchvisionResnet | null {
  const blocks = [0, 0, 0, 0];
  let bottleneck = false;
  for (const key of keys) {
    const m = /^layer([1-4])\.(\d+)\.(conv\d)\.weight$/.exec(key);
    if (!m) continue;
    blocks[Number(m[1]) - 1] = Math.max(blocks[Number(m[1]) - 1]!, Number(m[2]) + 1);
    if (m[3] === 'conv3') bottleneck = true;
  }
  const found = Object.entries(TORCHVISION_RESNETS).find(
    ([, s]) => s.bottleneck === bottleneck && s.blocks.every((n, i) => n === blocks[i]),
  );
  return (found?.[0] as TorchvisionResnet | undefined) ?? null;
}

/** PyTorch's shape of a tfjs weight of `layout` (the inverse of toTfjsLayout's shape change). */
export function torchShapeOf(layout: KeyLayout, tfjsShape: readonly number[]): number[] {
  if (layout === 'conv') return [tfjsShape[3]!, tfjsShape[2]!, tfjsShape[0]!, tfjsShape[1]!];
  if (layout === 'linear') return [tfjsShape[1]!, tfjsShape[0]!];
  return [...tfjsShape];
}
