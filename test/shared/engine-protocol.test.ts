import { describe, expect, it } from 'vitest';
import { parseJobInput } from '../../src/shared/engine-protocol';

const checkpointInit = (head: unknown) => ({
  model: { arch: 'resnet-mini', width: 1 },
  init: { kind: 'checkpoint', dir: '/models/1', head },
  trainable: 'classifier',
  train: {
    root: '/data',
    classNames: ['a', 'b'],
    items: [],
    transform: { kind: 'test', k: 64, cropPct: 0.875, interpolation: 'bilinear' },
    normalize: { mean: [0.5, 0.5, 0.5], std: [0.2, 0.2, 0.2] },
    seed: 0,
  },
  val: null,
  batchSize: 8,
  evalBatchSize: 8,
  epochs: 1,
  seed: 0,
  optimizer: { lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0, labelSmoothing: 0 },
  schedule: { kind: 'constant', warmupEpochs: 0 },
  checkpointDir: '/runs/1',
  resume: false,
});

const predict = {
  checkpointDir: '/models/1',
  files: ['/img/cat.png'],
  k: 224,
  cropPct: 0.875,
  interpolation: 'bicubic',
  normalize: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  topK: 5,
  batchSize: 8,
};

describe('model job inputs at the engine boundary', () => {
  it('accepts the imported-model jobs as the lab sends them, and a train start from a checkpoint whose head changes', () => {
    expect(parseJobInput('import-weights', { file: '/w/model.pth', arch: 'resnet50', outDir: '/models/.import' }).ok).toBe(true);
    expect(parseJobInput('adopt-model', { fromDir: '/m', toDir: '/r', head: { kind: 'reorder', order: [1, 0] } }).ok).toBe(true);
    expect(parseJobInput('predict', predict).ok).toBe(true);
    expect(parseJobInput('export-weights', { checkpointDir: '/m', arch: 'resnet18', outFile: '/x/model.safetensors' }).ok).toBe(
      true,
    );
    expect(parseJobInput('train', checkpointInit({ kind: 'new', numClasses: 2, seed: 3 })).ok).toBe(true);
  });

  it('refuses a malformed one with the field to fix', () => {
    expect(parseJobInput('import-weights', { file: '/w/model.pth', arch: 'vgg16', outDir: '/m' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^The import-weights job's input is invalid \(arch: /),
    });
    expect(
      parseJobInput('adopt-model', { fromDir: '/m', toDir: '/r', head: { kind: 'new', numClasses: 0, seed: 1 } }),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining('head.numClasses'),
    });
    expect(parseJobInput('predict', { ...predict, files: [] })).toMatchObject({
      ok: false,
      message: expect.stringContaining('files'),
    });
    expect(parseJobInput('train', checkpointInit({ kind: 'swap' }))).toMatchObject({
      ok: false,
      message: expect.stringContaining('init.head.kind'),
    });
  });
});
