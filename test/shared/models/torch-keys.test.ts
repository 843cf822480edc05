import { describe, expect, it } from 'vitest';
import { modelLayers } from '../../../src/shared/models/layers';
import { ARCH_NAMES, MODELS } from '../../../src/shared/models/registry';
import { LAYOUT_PERMUTATION, RESNET_TORCH_KEYS as keys } from '../../../src/shared/models/torch-keys';

const WEIGHTS = { conv: ['kernel'], bn: ['gamma', 'beta', 'moving_mean', 'moving_variance'], dense: ['kernel', 'bias'] };

describe('torchvision state-dict keys of lab weights', () => {
  it.each([
    ['stem_conv/kernel', 'conv1.weight', 'conv'],
    ['stem_bn/gamma', 'bn1.weight', 'vector'],
    ['stem_bn/beta', 'bn1.bias', 'vector'],
    ['stem_bn/moving_mean', 'bn1.running_mean', 'vector'],
    ['stem_bn/moving_variance', 'bn1.running_var', 'vector'],
    ['s1b1_conv1/kernel', 'layer1.0.conv1.weight', 'conv'],
    ['s4b3_bn3/moving_variance', 'layer4.2.bn3.running_var', 'vector'],
    ['s2b1_down_conv/kernel', 'layer2.0.downsample.0.weight', 'conv'],
    ['s2b1_down_bn/beta', 'layer2.0.downsample.1.bias', 'vector'],
    ['classifier/kernel', 'fc.weight', 'dense'],
    ['classifier/bias', 'fc.bias', 'vector'],
  ])('maps %s to %s (%s layout) and back', (lab, torch, layout) => {
    expect(keys.toTorch(lab)).toEqual({ key: torch, layout });
    expect(keys.toLab(torch)).toEqual({ weight: lab, layout });
  });

  it('round-trips every weight of every registered architecture', () => {
    for (const arch of ARCH_NAMES) {
      for (const layer of modelLayers(arch)) {
        for (const weight of WEIGHTS[layer.kind]) {
          const name = `${layer.name}/${weight}`;
          const torch = MODELS[arch].torchKeys.toTorch(name);
          expect(torch, name).not.toBeNull();
          expect(MODELS[arch].torchKeys.toLab(torch!.key)?.weight).toBe(name);
        }
      }
    }
  });

  it('has no counterpart for names outside the scheme, and skips num_batches_tracked', () => {
    for (const name of ['pool/kernel', 'stem_relu/kernel', 's0b1_conv1/kernel', 's1b0_conv1/kernel', 'stem_conv/bias', 'stem_conv'])
      expect(keys.toTorch(name), name).toBeNull();
    for (const key of ['layer1.0.relu.weight', 'fc.running_mean', 'layer1.0.downsample.2.weight', 'conv1'])
      expect(keys.toLab(key), key).toBeNull();
    expect(keys.ignored('layer1.0.bn1.num_batches_tracked')).toBe(true);
    expect(keys.ignored('layer1.0.bn1.running_var')).toBe(false);
  });

  it('turns HWIO kernels into OIHW and back, and transposes the dense kernel', () => {
    const hwio = [3, 5, 16, 32];
    const oihw = LAYOUT_PERMUTATION.conv.labToTorch.map((axis) => hwio[axis]);
    expect(oihw).toEqual([32, 16, 3, 5]);
    expect(LAYOUT_PERMUTATION.conv.torchToLab.map((axis) => oihw[axis])).toEqual(hwio);
    expect(LAYOUT_PERMUTATION.dense.labToTorch.map((axis) => [64, 10][axis])).toEqual([10, 64]);
  });
});
