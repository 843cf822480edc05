import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../../src/engine/models/create-model';
import {
  guessTorchvisionResnet,
  isIgnoredKey,
  torchShapeOf,
  torchvisionKeyMap,
  TORCHVISION_RESNETS,
  type TorchvisionResnet,
} from '../../../src/engine/models/torchvision-keys';
import { createTorchvisionModel, torchvisionStateOf } from '../../../src/engine/models/torchvision-weights';
import type { StateDict } from '../../../src/engine/weights/state-dict';
import { perturbBatchNorm } from '../../helpers/perturb-bn';
import { useTestBackend } from '../../helpers/tf-backend';

beforeAll(useTestBackend);

/** torchvision's own state_dict keys and shapes at 10 classes (test/fixtures/reference/torchvision_keys.py). */
const TORCHVISION: Record<TorchvisionResnet, Record<string, number[]>> = JSON.parse(
  readFileSync(new URL('../../fixtures/weights/torchvision-keys.json', import.meta.url), 'utf8'),
);
const ARCHS = Object.keys(TORCHVISION_RESNETS) as TorchvisionResnet[];

function stateDictOf(model: tfl.LayersModel, arch: TorchvisionResnet): StateDict {
  return new Map([...torchvisionStateOf(model, arch)].map(([k, t]) => [k, { dtype: 'F32' as const, ...t }]));
}

describe('torchvision key map', () => {
  it.each(ARCHS)("maps every key of torchvision's %s onto a weight of the same size, and covers every weight", (arch) => {
    const model = createModel({ arch, numClasses: 10, weightsFollow: true });
    const map = torchvisionKeyMap(TORCHVISION_RESNETS[arch]);
    const theirs = Object.entries(TORCHVISION[arch]).filter(([key]) => !isIgnoredKey(key));
    expect([...map.keys()]).toEqual(theirs.map(([key]) => key));
    for (const [key, shape] of theirs) {
      const target = map.get(key)!;
      const variable = model.getLayer(target.layer).weights.find((w) => w.originalName.endsWith(`/${target.weight}`))!;
      expect(torchShapeOf(target.layout, variable.shape as number[]), key).toEqual(shape);
    }
    const covered = new Set([...map.values()].map((t) => `${t.layer}/${t.weight}`));
    const all = model.layers.flatMap((l) => l.weights.map((w) => `${l.name}/${w.originalName.split('/').pop()}`));
    expect(all.filter((w) => !covered.has(w))).toEqual([]);
    expect(guessTorchvisionResnet(Object.keys(TORCHVISION[arch]))).toBe(arch);
    model.dispose();
  });

  it('round-trips a model through its torchvision state_dict with identical outputs', () => {
    const model = createModel({ arch: 'resnet18', numClasses: 4, seed: 5 });
    perturbBatchNorm(model);
    const back = createTorchvisionModel('resnet18', stateDictOf(model, 'resnet18'));
    tf.tidy(() => {
      const x = tf.randomNormal([2, 40, 40, 3], 0, 1, 'float32', 3);
      expect(Array.from((back.predict(x) as tf.Tensor).dataSync())).toEqual(
        Array.from((model.predict(x) as tf.Tensor).dataSync()),
      );
    });
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
      /not those of a torchvision\/timm ResNet/,
    );
  });
});
