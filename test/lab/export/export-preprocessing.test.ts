import { describe, expect, it } from 'vitest';
import { preprocessingConfig } from '../../../src/lab/export/export';
import { PreprocessingConfig } from '../../../src/shared/api/exports';
import { RunConfig, type FrozenRunConfig, type RunDetail } from '../../../src/shared/api/runs';
import type { SweepPoint } from '../../../src/shared/api/sweeps';

/** A completed run of 24-px training with bicubic resizing, crop_pct 0.9 and its own mean/std. */
function run(
  id: number,
  kind: 'train' | 'finetune',
  config: Partial<FrozenRunConfig>,
  parentId: number | null = null,
): RunDetail {
  const base = RunConfig.parse({ datasetId: 1, kTrain: 24, width: 0.5, interpolation: 'bicubic', cropPct: 0.9 });
  const frozen: FrozenRunConfig = {
    ...base,
    kTest: base.kTrain,
    trainable: 'full',
    evalBatchSize: 64,
    normalizeValues: { mean: [0.1, 0.2, 0.3], std: [0.4, 0.5, 0.6] },
    trainImages: 10,
    valImages: 5,
  };
  const stored = { status: 'completed' as const, backend: 'wasm', createdAt: '', epochsDone: 2, lastAcc: 0.5, epochs: [] };
  const cost = { startedAt: null, finishedAt: null, wallSeconds: 1, imgPerSec: 1, peakRssMb: 1, error: null };
  const noCheckpoint = { checkpointDir: null, checkpoint: null };
  return {
    id,
    kind,
    name: `run ${id}`,
    parentId,
    datasetId: 1,
    config: { ...frozen, ...config },
    ...stored,
    ...cost,
    ...noCheckpoint,
  };
}

const point = (runId: number, kTest: number, top1: number, adapter: SweepPoint['adapter'] = 'none'): SweepPoint => ({
  runId,
  sweepId: 1,
  kTest,
  adapter,
  top1,
  top5: null,
  loss: null,
  n: 10,
  seconds: null,
  imgPerSec: null,
});

describe('preprocessingConfig (timm-style pretrained_cfg of an exported model)', () => {
  it('gives the train size, the best measured test size, crop_pct, interpolation, mean and std', () => {
    const trained = run(3, 'train', {});
    const points = [point(3, 16, 0.6), point(3, 24, 0.7), point(3, 32, 0.78), point(3, 40, 0.74), point(3, 48, 0.9, 'frechet')];
    const cfg = PreprocessingConfig.parse(preprocessingConfig(trained, null, ['a', 'b'], points, '1.2.3'));
    expect(cfg).toMatchObject({
      num_classes: 2,
      label_names: ['a', 'b'],
      input_size: [3, 24, 24],
      // The Fréchet point at 48 is not the model as exported, so it does not count.
      test_input_size: [3, 32, 32],
      crop_pct: 0.9,
      test_crop_pct: 0.9,
      crop_mode: 'center',
      interpolation: 'bicubic',
      mean: [0.1, 0.2, 0.3],
      std: [0.4, 0.5, 0.6],
      fine_tuned: null,
      top1: { at_input_size: 0.7, at_test_input_size: 0.78 },
      source: { version: '1.2.3', run_id: 3 },
    });
  });

  it('names the parent of a fine-tuned model and falls back to its own K_test when it was never swept', () => {
    const parent = run(3, 'train', {});
    const child = run(4, 'finetune', { kTrain: 36, kTest: 36, trainable: 'bn+classifier', augment: 'da1' }, 3);
    const cfg = preprocessingConfig(child, parent, ['a', 'b'], [point(3, 36, 0.9)], 'v');
    expect(cfg).toMatchObject({
      input_size: [3, 36, 36],
      test_input_size: [3, 36, 36],
      fine_tuned: { parent_run: 3, k: 36, trainable: 'bn+classifier', augment: 'da1', parent_k_train: 24 },
      top1: { at_input_size: 0.5, at_test_input_size: 0.5 },
    });
  });
});
