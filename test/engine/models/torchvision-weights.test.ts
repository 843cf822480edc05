import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../../src/engine/models/create-model';
import { createTorchvisionModel, torchvisionStateOf } from '../../../src/engine/models/torchvision-weights';
import type { StateDict } from '../../../src/engine/weights/state-dict';
import type { ArchName } from '../../../src/shared/models/registry';
import { perturbBatchNorm } from '../../helpers/perturb-bn';
import { useTestBackend } from '../../helpers/tf-backend';

beforeAll(useTestBackend);

function stateDictOf(model: tfl.LayersModel, arch: ArchName): StateDict {
  return new Map([...torchvisionStateOf(model, arch)].map(([k, t]) => [k, { dtype: 'F32' as const, ...t }]));
}

function sameOutputs(a: tfl.LayersModel, b: tfl.LayersModel, k: number): void {
  tf.tidy(() => {
    const x = tf.randomNormal([2, k, k, 3], 0, 1, 'float32', 3);
    expect(Array.from((b.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((a.predict(x) as tf.Tensor).dataSync()));
  });
}

describe('torchvision weights in and out', () => {
  it('round-trips a resnet18 through its torchvision state_dict with identical outputs', () => {
    const model = createModel({ arch: 'resnet18', numClasses: 4, seed: 5 });
    perturbBatchNorm(model);
    const { model: back } = createTorchvisionModel('resnet18', stateDictOf(model, 'resnet18'));
    sameOutputs(model, back, 33);
    model.dispose();
    back.dispose();
  });

  it("reads a resnet-mini's depth and width from its keys and shapes", () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 3, width: 0.5, blocks: [2, 1, 3], seed: 2 });
    perturbBatchNorm(model);
    const { model: back, width, blocks } = createTorchvisionModel('resnet-mini', stateDictOf(model, 'resnet-mini'));
    expect({ width, blocks }).toEqual({ width: 0.5, blocks: [2, 1, 3] });
    expect(back.countParams()).toBe(model.countParams());
    sameOutputs(model, back, 12);
    model.dispose();
    back.dispose();
  });

  it('refuses missing, unexpected and misshapen keys, listing each, and leaks no tensors', () => {
    const model = createModel({ arch: 'resnet18', numClasses: 3, weightsFollow: true });
    const state = stateDictOf(model, 'resnet18');
    model.dispose();
    state.delete('layer4.1.bn2.running_var');
    state.set('head.extra.weight', { dtype: 'F32', shape: [1], data: new Float32Array(1) });
    state.set('layer1.0.conv1.weight', { dtype: 'F32', shape: [64, 64, 1, 1], data: new Float32Array(64 * 64) });
    state.set('layer1.0.bn1.num_batches_tracked', { dtype: 'I64', shape: [], data: new Float32Array(1) });
    const before = tf.memory().numTensors;
    expect(() => createTorchvisionModel('resnet18', state)).toThrow(
      'These weights do not fit resnet18: 1 missing (layer4.1.bn2.running_var); 1 unexpected (head.extra.weight); ' +
        '1 of the wrong shape (layer1.0.conv1.weight: [64, 64, 1, 1] in the file, [64, 64, 3, 3] expected).',
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the architecture the keys belong to when another was asked for', () => {
    const model = createModel({ arch: 'resnet50', numClasses: 2, weightsFollow: true });
    const state = stateDictOf(model, 'resnet50');
    model.dispose();
    expect(() => createTorchvisionModel('resnet101', state)).toThrow(
      /missing \(layer3\.6\.conv1\.weight.*The keys look like resnet50: import with --arch resnet50\./,
    );
    expect(() => createTorchvisionModel('resnet18', new Map([['fc.weight', state.get('fc.weight')!]]))).toThrow(
      /missing \(conv1\.weight\).*not those of a torchvision\/timm ResNet/,
    );
  });
});
