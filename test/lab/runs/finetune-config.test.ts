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
  it('follows the official recipe by default: last-bn+classifier on DA1, SGD 0.9, wd 1e-4 on every parameter, lr 8·1e-3·batch/512, StepLR scaled', () => {
    const child = finetuneConfig(parent, FinetuneRequest.parse({ parentRunId: 7, kTest: 36 }));
    expect(child).toMatchObject({
      parentRunId: 7,
      datasetId: 3,
      kTrain: 36,
      kTest: 36,
      trainable: 'last-bn+classifier',
      augment: 'da1',
      jitter: 0,
      momentum: 0.9,
      nesterov: false,
      weightDecay: 1e-4,
      decayAllParams: true,
      labelSmoothing: 0,
      warmupEpochs: 0,
      batchSize: 64,
    });
    // The README's ResNet-50 run: 8 GPUs × 64 → 8e-3; here one process with batch 64.
    expect(child.lr).toBeCloseTo((8 * 1e-3 * 64) / 512, 15);
    // 100 training images of batch 64: 1 step per epoch → the 30-epoch cap; decay after 30/56 of it.
    expect(child).toMatchObject({ epochs: 30, schedule: 'step', milestones: [16], gamma: 0.1 });
  });

  it('keeps a one-epoch fine-tune at a constant rate (no room for the decay)', () => {
    const child = finetuneConfig(parent, FinetuneRequest.parse({ parentRunId: 7, kTest: 36, epochs: 1 }));
    expect(child).toMatchObject({ epochs: 1, schedule: 'constant' });
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
    ['classifier', 'da2', 0.05],
    ['full', 'da1', 0],
    ['bn+classifier', 'da2', 0.05],
    ['last-bn+classifier', 'da1', 0],
  ] as const)('passes mode %s and augmentation %s through, with colour jitter %s', (mode, augment, jitter) => {
    const child = finetuneConfig(parent, FinetuneRequest.parse({ parentRunId: 7, kTest: 32, mode, augment }));
    expect(child).toMatchObject({ trainable: mode, augment, jitter });
    expect(child.name).toBe(`fine-tune of #7 at 32 (${mode}, ${augment.toUpperCase()})`);
  });

  it('scales the default lr with a given batch and takes an explicit lr, epochs and seed as given', () => {
    const batch16 = finetuneConfig(parent, FinetuneRequest.parse({ parentRunId: 7, kTest: 32, batchSize: 16 }));
    expect(batch16.lr).toBeCloseTo((8e-3 * 16) / 512, 15);
    const explicit = finetuneConfig(parent, FinetuneRequest.parse({ parentRunId: 7, kTest: 32, lr: 0.01, epochs: 5, seed: 9 }));
    expect(explicit).toMatchObject({ lr: 0.01, epochs: 5, seed: 9 });
  });
});
