import { MODELS, type ArchName } from './registry';
import type { TrainableMode } from './trainable';

/** A layer that holds weights: a convolution, a BatchNorm or the dense classifier. */
export interface WeightLayer {
  name: string;
  kind: 'conv' | 'bn' | 'dense';
}

/**
 * The weight-bearing layers of a lab-built model, by the names the engine gives
 * them: `stem_conv`, `stem_bn`, `s{stage}b{block}_conv{i}` / `_bn{i}`, `_down_conv` / `_down_bn`
 * where a block's shortcut changes shape, and `classifier`.
 */
export function modelLayers(arch: ArchName, blocks: readonly number[] = MODELS[arch].blocks): WeightLayer[] {
  const entry = MODELS[arch];
  const convs = entry.block === 'basic' ? 2 : 3;
  const layers: WeightLayer[] = [
    { name: 'stem_conv', kind: 'conv' },
    { name: 'stem_bn', kind: 'bn' },
  ];
  blocks.forEach((count, s) => {
    for (let b = 0; b < count; b++) {
      const block = `s${s + 1}b${b + 1}`;
      for (let i = 1; i <= convs; i++)
        layers.push({ name: `${block}_conv${i}`, kind: 'conv' }, { name: `${block}_bn${i}`, kind: 'bn' });
      // The first block of a stage changes shape: stride 2 after stage 1; a bottleneck's 4× expansion in stage 1.
      if (b === 0 && (s > 0 || entry.block === 'bottleneck'))
        layers.push({ name: `${block}_down_conv`, kind: 'conv' }, { name: `${block}_down_bn`, kind: 'bn' });
    }
  });
  layers.push({ name: 'classifier', kind: 'dense' });
  return layers;
}

/**
 * The layers a mode trains in a lab-built model. "The last BN" is the last block's main-branch
 * BatchNorm, right before global pooling (ResNet-50: `s4b3_bn3`, torchvision `layer4.2.bn3`).
 */
export function trainedLayers(arch: ArchName, mode: TrainableMode, blocks?: readonly number[]): string[] {
  const layers = modelLayers(arch, blocks);
  if (mode === 'full') return layers.map((l) => l.name);
  const bns = layers.filter((l) => l.kind === 'bn' && !l.name.endsWith('_down_bn'));
  const chosen =
    mode === 'bn+classifier' ? layers.filter((l) => l.kind === 'bn') : mode === 'last-bn+classifier' ? bns.slice(-1) : [];
  return [...chosen.map((l) => l.name), 'classifier'];
}
