import { describe, expect, it } from 'vitest';
import { finetuneConfig } from '../../../src/lab/runs/finetune-config';
import { FinetuneRequest } from '../../../src/shared/api/finetune';
import { RunConfig, type FrozenRunConfig } from '../../../src/shared/api/runs';

const parentConfig: FrozenRunConfig = {
  ...RunConfig.parse({
    datasetId: 3,
    width: 0.5,
    kTrain: 24,
    batchSize: 64,
    lr: 0.1,
    schedule: 'cosine',
    warmupEpochs: 2,
    cropPct: 0.9,
    scale: [0.35, 1],
    interpolation: 'bicubic',
    normalize: 'dataset',
    seed: 5,
  }),
  kTest: 24,
  trainable: 'full',
  evalBatchSize: 128,
  normalizeValues: { mean: [0.2, 0.3, 0.4], std: [0.5, 0.6, 0.7] },
  trainImages: 100,
  valImages: 20,
};
const parent = { id: 7, datasetId: 3, config: parentConfig };

describe('finetuneConfig (FixRes fine-tuning at K_test)', () => {
  it('trains BN + classifier at K_test on the test transform (DA1) with SGD momentum 0.9 and lr 1e-3·batch/512 by default', () => {
    const child = finetuneConfig(parent, FinetuneRequest.parse({ parentRunId: 7, kTest: 36 }));
    expect(child).toMatchObject({
      parentRunId: 7,
      datasetId: 3,
      kTrain: 36,
      kTest: 36,
      trainable: 'bn+classifier',
      augment: 'da1',
      jitter: 0,
      epochs: 2,
      momentum: 0.9,
      nesterov: false,
      schedule: 'constant',
      warmupEpochs: 0,
      batchSize: 64,
    });
    expect(child.lr).toBeCloseTo((1e-3 * 64) / 512, 15);
  });

  it('keeps the parent’s model and pre-processing (crop_pct, scale, interpolation, normalisation, seed)', () => {
    const child = finetuneConfig(parent, FinetuneRequest.parse({ parentRunId: 7, kTest: 36 }));
    expect(child).toMatchObject({
      arch: 'resnet-mini',
      width: 0.5,
      cropPct: 0.9,
      scale: [0.35, 1],
      interpolation: 'bicubic',
      normalize: 'dataset',
      seed: 5,
    });
  });

  it.each([
    ['classifier', 'da2', 0.1],
    ['full', 'da1', 0],
    ['bn+classifier', 'da2', 0.1],
  ] as const)('passes mode %s and augmentation %s through, with colour jitter %s', (mode, augment, jitter) => {
    const child = finetuneConfig(parent, FinetuneRequest.parse({ parentRunId: 7, kTest: 32, mode, augment }));
    expect(child).toMatchObject({ trainable: mode, augment, jitter });
    expect(child.name).toBe(`fine-tune of #7 at 32 (${mode}, ${augment.toUpperCase()})`);
  });

  it('scales the default lr with a given batch and takes an explicit lr, epochs and seed as given', () => {
    const batch16 = finetuneConfig(parent, FinetuneRequest.parse({ parentRunId: 7, kTest: 32, batchSize: 16 }));
    expect(batch16.lr).toBeCloseTo((1e-3 * 16) / 512, 15);
    const explicit = finetuneConfig(parent, FinetuneRequest.parse({ parentRunId: 7, kTest: 32, lr: 0.01, epochs: 5, seed: 9 }));
    expect(explicit).toMatchObject({ lr: 0.01, epochs: 5, seed: 9 });
  });
});
