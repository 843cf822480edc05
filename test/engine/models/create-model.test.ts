import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../../src/engine/models/create-model';
import { useTestBackend } from '../../helpers/tf-backend';

beforeAll(useTestBackend);

function trainableParams(model: ReturnType<typeof createModel>): number {
  return model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
}

describe('createModel', () => {
  it.each([8, 11, 16, 24])('returns logits from one resnet-mini at K = %i', (k) => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 5, width: 0.25, seed: 1 });
    const logits = tf.tidy(() => model.predict(tf.zeros([2, k, k, 3])) as tf.Tensor);
    expect(logits.shape).toEqual([2, 5]);
    logits.dispose();
    model.dispose();
  });

  it('accepts inputs of several sizes with the same weights', () => {
    const model = createModel({ arch: 'resnet18', numClasses: 3, width: 0.125, seed: 2 });
    for (const k of [32, 40, 64]) {
      const shape = tf.tidy(() => (model.predict(tf.ones([1, k, k, 3])) as tf.Tensor).shape);
      expect(shape).toEqual([1, 3]);
    }
    expect(model.inputs[0]!.shape).toEqual([null, null, null, 3]);
    model.dispose();
  });

  it('has exactly torchvision trainable parameter counts at width 1', () => {
    const r18 = createModel({ arch: 'resnet18', numClasses: 10 });
    expect(trainableParams(r18)).toBe(11_181_642);
    r18.dispose();
    const r50 = createModel({ arch: 'resnet50', numClasses: 10 });
    expect(trainableParams(r50)).toBe(23_528_522);
    r50.dispose();
  });

  it("builds resnet34 with torchvision's parameter count (resnet101/152: test/engine/models/torchvision-weights.test.ts)", () => {
    const model = createModel({ arch: 'resnet34', numClasses: 10 });
    expect(trainableParams(model)).toBe(21_289_802);
    model.dispose();
  });

  it('pads the stem, the max-pool and every strided 3×3 conv symmetrically, as PyTorch does', () => {
    const model = createModel({ arch: 'resnet18', numClasses: 2, width: 0.125 });
    const pads = model.layers.filter((l) => l.getClassName() === 'ZeroPadding2D').map((l) => [l.name, l.getConfig()['padding']]);
    expect(pads).toEqual([
      [
        'stem_conv_pad',
        [
          [3, 3],
          [3, 3],
        ],
      ],
      [
        'stem_pool_pad',
        [
          [1, 1],
          [1, 1],
        ],
      ],
      [
        's2b1_conv1_pad',
        [
          [1, 1],
          [1, 1],
        ],
      ],
      [
        's3b1_conv1_pad',
        [
          [1, 1],
          [1, 1],
        ],
      ],
      [
        's4b1_conv1_pad',
        [
          [1, 1],
          [1, 1],
        ],
      ],
    ]);
    expect(model.getLayer('s2b1_conv1').getConfig()['padding']).toBe('valid');
    expect(model.getLayer('s2b1_down_conv').getConfig()['padding']).toBe('same');
    model.dispose();
  });

  it('documents resnet-mini: [3,3,3] blocks is ResNet-20 (0.27 M parameters)', () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 10, blocks: [3, 3, 3] });
    const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D' && !l.name.includes('_down'));
    expect(convs.length + 1).toBe(20);
    expect(trainableParams(model)).toBe(272_474);
    model.dispose();
  });

  it('builds the same weights from the same seed and different ones from another', () => {
    const weightsOf = (seed: number) => {
      const model = createModel({ arch: 'resnet-mini', numClasses: 4, width: 0.25, seed });
      const values = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return values;
    };
    const a = weightsOf(7);
    expect(weightsOf(7)).toEqual(a);
    expect(weightsOf(8)).not.toEqual(a);
    const stem = a[0]!;
    const s1 = a[5]!;
    expect(stem.slice(0, 8)).not.toEqual(s1.slice(0, 8));
  });

  it('refuses a non-positive class count and an absurd width', () => {
    expect(() => createModel({ arch: 'resnet-mini', numClasses: 0 })).toThrow(/numClasses/);
    expect(() => createModel({ arch: 'resnet-mini', numClasses: 2, width: 0 })).toThrow(/width/);
  });
});
