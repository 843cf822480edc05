import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../../src/engine/models/create-model';
import { buildHeadModel, frozenTrunkCut, headRoots } from '../../../src/engine/models/frozen-trunk';
import { selectTrainable } from '../../../src/engine/models/layer-selection';
import { perturbBatchNorm } from '../../helpers/perturb-bn';
import { useTestBackend } from '../../helpers/tf-backend';

beforeAll(useTestBackend);

describe('frozenTrunkCut', () => {
  it('cuts a ResNet before its last BN and at the block shortcut for last-bn+classifier, at the pooled features for classifier', () => {
    const model = createModel({ arch: 'resnet18', numClasses: 3, width: 0.125, seed: 1 });
    expect(frozenTrunkCut(model, headRoots(model, 'last-bn+classifier')!)).toEqual(['s4b1_out', 's4b2_conv2']);
    expect(frozenTrunkCut(model, headRoots(model, 'classifier')!)).toEqual(['pool']);
    expect(headRoots(model, 'full')).toBeNull();
    expect(headRoots(model, 'bn+classifier')).toBeNull();
    model.dispose();
  });

  it('builds a head that computes the model from the cut tensors, leaving the model graph untouched', () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 3, width: 0.25, seed: 1 });
    perturbBatchNorm(model);
    selectTrainable(model, 'last-bn+classifier');
    const cut = frozenTrunkCut(model, headRoots(model, 'last-bn+classifier')!);
    const nodes = model.layers.map((l) => l.inboundNodes.length);
    const head = buildHeadModel(model, cut);
    expect(model.layers.map((l) => l.inboundNodes.length)).toEqual(nodes);
    expect(head.trainableWeights.map((w) => w.originalName).sort()).toEqual(
      model.trainableWeights.map((w) => w.originalName).sort(),
    );
    tf.tidy(() => {
      const x = tf.randomNormal([2, 9, 11, 3], 0, 1, 'float32', 3);
      const trunk = tfl.model({ inputs: model.inputs, outputs: cut.map((c) => model.getLayer(c).output as tfl.SymbolicTensor) });
      const viaHead = head.predict(trunk.predict(x) as tf.Tensor[]) as tf.Tensor;
      const direct = model.predict(x) as tf.Tensor;
      expect(tf.max(tf.abs(tf.sub(viaHead, direct))).dataSync()[0]).toBeLessThan(1e-5);
    });
    head.dispose();
    model.dispose();
  });
});
