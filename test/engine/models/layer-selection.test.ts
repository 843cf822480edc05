import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../../src/engine/models/create-model';
import { reEstimatesStatistics } from '../../../src/engine/models/batch-norm-mode';
import { batchNormLayers, lastBatchNorm, selectTrainable } from '../../../src/engine/models/layer-selection';
import { useTestBackend } from '../../helpers/tf-backend';

beforeAll(useTestBackend);

const mini = () => createModel({ arch: 'resnet-mini', numClasses: 3, width: 0.25, seed: 3 });

describe('selectTrainable', () => {
  it('trains only the classifier', () => {
    const model = mini();
    expect(selectTrainable(model, 'classifier')).toEqual(['classifier']);
    expect(model.trainableWeights.map((w) => w.originalName)).toEqual(['classifier/kernel', 'classifier/bias']);
    model.dispose();
  });

  it('trains every BN layer and the classifier, selected by name', () => {
    const model = mini();
    const names = selectTrainable(model, 'bn+classifier');
    expect(names.filter((n) => n !== 'classifier').every((n) => /_bn\d?$/.test(n))).toBe(true);
    expect(names).toContain('stem_bn');
    expect(names).toContain('s2b1_down_bn');
    expect(names.length).toBe(batchNormLayers(model).length + 1);
    model.dispose();
  });

  it('picks the last block main-branch BN as the last BN', () => {
    const model = mini();
    expect(lastBatchNorm(model)!.name).toBe('s3b1_bn2');
    expect(selectTrainable(model, 'last-bn+classifier')).toEqual(['classifier']);
    expect(reEstimatesStatistics(model.getLayer('s3b1_bn2'))).toBe(true);
    const r50 = createModel({ arch: 'resnet50', numClasses: 2, width: 0.0625 });
    expect(lastBatchNorm(r50)!.name).toBe('s4b3_bn3');
    r50.dispose();
    model.dispose();
  });

  it('makes everything trainable again in full mode', () => {
    const model = mini();
    selectTrainable(model, 'classifier');
    selectTrainable(model, 'full');
    expect(model.trainableWeights.length).toBe(mini().trainableWeights.length);
    model.dispose();
  });

  it('re-estimates only the last BN in last-bn+classifier, and clears that when the mode changes', () => {
    const model = mini();
    selectTrainable(model, 'last-bn+classifier');
    selectTrainable(model, 'classifier');
    const stats = () => Array.from(model.getLayer('s3b1_bn2').getWeights()[2]!.dataSync());
    const before = stats();
    tf.tidy(() => model.apply(tf.randomNormal([4, 8, 8, 3], 1, 2, 'float32', 5), { training: true }) as tf.Tensor);
    expect(stats()).toEqual(before);
    expect(batchNormLayers(model).some(reEstimatesStatistics)).toBe(false);
    model.dispose();
  });

  it('keeps frozen BN statistics fixed in a training pass and updates the re-estimated one', () => {
    const model = mini();
    selectTrainable(model, 'last-bn+classifier');
    const stats = (name: string) => Array.from(model.getLayer(name).getWeights()[2]!.dataSync());
    const before = { frozen: stats('stem_bn'), trained: stats('s3b1_bn2') };
    tf.tidy(() => model.apply(tf.randomNormal([4, 8, 8, 3], 1, 2, 'float32', 5), { training: true }) as tf.Tensor);
    expect(stats('stem_bn')).toEqual(before.frozen);
    expect(stats('s3b1_bn2')).not.toEqual(before.trained);
    model.dispose();
  });
});
