import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../../src/engine/models/create-model';
import { createFeatureModel } from '../../../src/engine/models/feature-model';
import { useTestBackend } from '../../helpers/tf-backend';

beforeAll(useTestBackend);

describe('createFeatureModel', () => {
  it('returns pooled features and the same logits as the model, at several K', () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 4, width: 0.5, seed: 1 });
    const features = createFeatureModel(model);
    for (const k of [8, 16]) {
      const x = tf.randomUniform([3, k, k, 3], 0, 1, 'float32', k);
      const [pooled, logits] = features.predict(x) as tf.Tensor[];
      const direct = model.predict(x) as tf.Tensor;
      expect(pooled!.shape).toEqual([3, 32]);
      expect(Math.min(...pooled!.dataSync())).toBeGreaterThanOrEqual(0);
      expect(Array.from(logits!.dataSync())).toEqual(Array.from(direct.dataSync()));
      tf.dispose([x, pooled!, logits!, direct]);
    }
    model.dispose();
  });

  it('shares weights with the training model', () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 2, width: 0.25, seed: 1 });
    const features = createFeatureModel(model);
    const classifier = model.getLayer('classifier');
    const [kernel, bias] = classifier.getWeights();
    classifier.setWeights([tf.onesLike(kernel!), tf.fill(bias!.shape, 0.5)]);
    const [pooled, logits] = features.predict(tf.ones([1, 8, 8, 3])) as tf.Tensor[];
    const sum = tf.sum(pooled!).dataSync()[0]!;
    expect(logits!.dataSync()[0]).toBeCloseTo(sum + 0.5, 4);
    expect(features.getLayer('stem_conv')).toBe(model.getLayer('stem_conv'));
    model.dispose();
  });
});
