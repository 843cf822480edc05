import type { Dataset } from '../../src/shared/api/datasets';
import type { FrozenRunConfig, Run, RunDetail } from '../../src/shared/api/runs';
import { RunConfig } from '../../src/shared/api/runs';

/** A stored run as the lab returns it, with overrides. */
export function makeRun(overrides: Partial<Run> & { id: number }, config: Partial<FrozenRunConfig> = {}): Run {
  const base = RunConfig.parse({ datasetId: 1 });
  return {
    kind: 'train',
    name: `run ${overrides.id}`,
    parentId: null,
    datasetId: 1,
    status: 'completed',
    config: {
      ...base,
      kTest: base.kTrain,
      trainable: 'full',
      evalBatchSize: 64,
      normalizeValues: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      trainImages: 90,
      valImages: 10,
      ...config,
    },
    backend: 'cpu',
    createdAt: '2026-11-20T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    wallSeconds: 10,
    imgPerSec: 100,
    peakRssMb: 200,
    epochsDone: 0,
    error: null,
    checkpointDir: null,
    checkpoint: null,
    lastAcc: null,
    ...overrides,
  };
}

export function makeDetail(run: Run, epochs: RunDetail['epochs'] = []): RunDetail {
  return { ...run, epochs };
}

export function makeDataset(overrides: Partial<Dataset> & { id: number }): Dataset {
  return {
    name: `dataset ${overrides.id}`,
    root: `/data/${overrides.id}`,
    layout: 'imagefolder',
    status: 'ready',
    error: null,
    scannedAt: null,
    imageCount: 10,
    classes: [
      { name: 'a', count: 5, train: 4, val: 1 },
      { name: 'b', count: 5, train: 4, val: 1 },
    ],
    split: { source: 'folders', valFraction: 0.1, seed: 0 },
    problems: { unreadable: 0, duplicateGroups: 0, leakingGroups: 0, tiny: 0, skipped: 0 },
    ...overrides,
  };
}
