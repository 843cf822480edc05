import { describe, expect, it } from 'vitest';
import { freezeRunConfig, toTrainInput } from '../../../src/lab/runs/run-config';
import { testTransform, trainTransform } from '../../../src/lab/runs/run-data';
import { RunConfig } from '../../../src/shared/api/runs';
import type { DataSpec } from '../../../src/shared/jobs/data-spec';

const spec = (n: number): DataSpec => ({
  root: '/data',
  classNames: ['a', 'b'],
  items: Array.from({ length: n }, (_, i) => ({ relPath: `${i}.png`, label: i % 2 })),
  transform: { kind: 'test', k: 8, cropPct: 1, interpolation: 'bilinear' },
  normalize: { mean: [0.1, 0.2, 0.3], std: [0.4, 0.5, 0.6] },
  seed: 0,
});

describe('run transforms', () => {
  it('trains with RandomResizedCrop at K_train and tests with Resize + CenterCrop at K_test', () => {
    const cfg = RunConfig.parse({ datasetId: 1, kTrain: 24, scale: [0.35, 1] });
    expect(trainTransform(cfg)).toEqual({
      kind: 'train',
      k: 24,
      scale: [0.35, 1],
      ratio: [3 / 4, 4 / 3],
      hflip: true,
      jitter: 0,
      interpolation: 'bilinear',
    });
    expect(testTransform(cfg, 40)).toEqual({ kind: 'test', k: 40, cropPct: 0.875, interpolation: 'bilinear' });
  });

  it('offers FixRes DA1 (the test transform at K_train) and DA2 (shifted centre crop) for fine-tuning', () => {
    expect(trainTransform(RunConfig.parse({ datasetId: 1, kTrain: 48, augment: 'da1' }))).toEqual({
      kind: 'test',
      k: 48,
      cropPct: 0.875,
      interpolation: 'bilinear',
    });
    expect(trainTransform(RunConfig.parse({ datasetId: 1, kTrain: 48, augment: 'da2', jitter: 0.1 }))).toMatchObject({
      kind: 'da2',
      k: 48,
      maxShift: 1,
      jitter: 0.1,
    });
  });
});

describe('freezeRunConfig', () => {
  it('resolves K_test, the trainable layers, the eval batch, the normalisation and the image counts once', () => {
    const frozen = freezeRunConfig(RunConfig.parse({ datasetId: 1, kTrain: 24, batchSize: 16 }), {
      isFineTune: false,
      specs: { train: spec(10), val: spec(3) },
    });
    expect(frozen).toMatchObject({
      kTest: 24,
      trainable: 'full',
      evalBatchSize: 32,
      trainImages: 10,
      valImages: 3,
      normalizeValues: { mean: [0.1, 0.2, 0.3], std: [0.4, 0.5, 0.6] },
    });
  });

  it('fine-tunes with the official recipe’s layers (last-bn+classifier) by default', () => {
    const frozen = freezeRunConfig(RunConfig.parse({ datasetId: 1 }), { isFineTune: true, specs: { train: spec(4), val: null } });
    expect(frozen).toMatchObject({ trainable: 'last-bn+classifier', valImages: 0 });
  });
});

describe('toTrainInput', () => {
  const context = (cfg: ReturnType<typeof freezeRunConfig>) =>
    toTrainInput(cfg, {
      specs: { train: spec(4), val: null },
      checkpointDir: '/tmp/x',
      parentCheckpointDir: null,
      resume: false,
    });
  const frozen = (extra: object) =>
    freezeRunConfig(RunConfig.parse({ datasetId: 1, ...extra }), { isFineTune: false, specs: { train: spec(4), val: null } });

  it('asks the optimiser to decay every parameter only when the config says so (the fine-tune recipe)', () => {
    expect(context(frozen({ decayAllParams: true })).optimizer).toMatchObject({ decayAllParams: true, weightDecay: 5e-4 });
    // Absent, not false: configs stored before the setting keep the checkpoint key they were saved with.
    expect(context(frozen({})).optimizer).not.toHaveProperty('decayAllParams');
  });
});
