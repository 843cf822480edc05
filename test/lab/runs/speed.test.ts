import { describe, expect, it } from 'vitest';
import { speedTable } from '../../../src/lab/runs/speed';
import type { SweepPoint } from '../../../src/shared/api/sweeps';
import { upsertDataset } from '../../../src/store/datasets';
import { openDatabase, type Db } from '../../../src/store/db';
import { endSession, insertRun, saveEpoch } from '../../../src/store/runs';
import { insertSweep, saveSweepResolution } from '../../../src/store/sweeps';
import { sweepSettings } from '../../helpers/sweep-settings';
import { frozenRunConfig } from '../../helpers/frozen-config';
import type { FrozenRunConfig } from '../../../src/shared/api/runs';

const settings = sweepSettings();

interface RunSpec {
  kind?: 'train' | 'finetune';
  parentId?: number | null;
  datasetId: number;
  kTrain: number;
  trainable?: FrozenRunConfig['trainable'];
  augment?: FrozenRunConfig['augment'];
  status?: 'completed' | 'failed';
  wallSeconds: number;
}

function addRun(db: Db, spec: RunSpec): number {
  const config = frozenRunConfig({
    datasetId: spec.datasetId,
    width: 0.5,
    kTrain: spec.kTrain,
    trainable: spec.trainable ?? 'full',
    augment: spec.augment ?? 'rrc',
    epochs: 2,
  });
  const run = insertRun(db, {
    kind: spec.kind ?? 'train',
    name: `run at ${spec.kTrain}`,
    parentId: spec.parentId ?? null,
    datasetId: spec.datasetId,
    config,
    checkpointDir: (id) => `/tmp/runs/${id}`,
  });
  endSession(db, run.id, { status: spec.status ?? 'completed', wallSeconds: spec.wallSeconds, imgPerSec: 50, peakRssMb: 300 });
  return run.id;
}

function addPoints(db: Db, runId: number, adapter: 'none' | 'frechet', points: [kTest: number, top1: number][]): void {
  const sweep = insertSweep(db, { runId, adapter, settings });
  for (const [kTest, top1] of points) {
    const point: Omit<SweepPoint, 'sweepId'> = {
      runId,
      kTest,
      adapter,
      top1,
      top5: 1,
      loss: 0.5,
      n: 100,
      seconds: 2,
      imgPerSec: 7 * kTest,
    };
    saveSweepResolution(db, sweep.id, [point], null);
  }
}

/** Dataset A: a swept run, its Fréchet series, a swept fine-tune and a failed run; dataset B: a run never swept. */
function lab(): { db: Db; a: number; b: number; trained: number; tuned: number; unswept: number } {
  const { db } = openDatabase(':memory:');
  const a = upsertDataset(db, '/data/a', 'a').id;
  const b = upsertDataset(db, '/data/b', 'b').id;
  const trained = addRun(db, { datasetId: a, kTrain: 16, wallSeconds: 100 });
  addPoints(db, trained, 'none', [
    [12, 0.6],
    [16, 0.7],
    [20, 0.75],
    [24, 0.75],
  ]);
  addPoints(db, trained, 'frechet', [
    [16, 0.69],
    [20, 0.74],
  ]);
  const tuned = addRun(db, {
    kind: 'finetune',
    parentId: trained,
    datasetId: a,
    kTrain: 20,
    trainable: 'bn+classifier',
    augment: 'da1',
    wallSeconds: 10,
  });
  addPoints(db, tuned, 'none', [
    [16, 0.72],
    [20, 0.8],
  ]);
  addRun(db, { datasetId: a, kTrain: 32, wallSeconds: 5, status: 'failed' });
  const unswept = addRun(db, { datasetId: b, kTrain: 24, wallSeconds: 30 });
  const epoch = (e: number, acc: number) => ({
    epoch: e,
    phase: 'val' as const,
    loss: 1,
    acc,
    top5: 0.9,
    lr: 0.1,
    img_per_sec: 80,
    seconds: 1,
  });
  saveEpoch(db, unswept, [epoch(0, 0.5)]);
  saveEpoch(db, unswept, [epoch(1, 0.55)]);
  return { db, a, b, trained, tuned, unswept };
}

describe('speedTable (speed vs accuracy across runs)', () => {
  it('gives one row per completed run, series and K_test with accuracy and cost, oldest run first', () => {
    const { db, trained, tuned, unswept } = lab();
    const rows = speedTable(db);
    expect(rows.map((r) => [r.runId, r.series, r.kTest, r.top1])).toEqual([
      [trained, 'baseline', 12, 0.6],
      [trained, 'baseline', 16, 0.7],
      [trained, 'baseline', 20, 0.75],
      [trained, 'baseline', 24, 0.75],
      [trained, 'frechet', 16, 0.69],
      [trained, 'frechet', 20, 0.74],
      [tuned, 'finetuned', 16, 0.72],
      [tuned, 'finetuned', 20, 0.8],
      [unswept, 'baseline', 24, 0.55],
    ]);
    expect(rows[2]).toMatchObject({ kTrain: 16, trainSeconds: 100, trainImgPerSec: 50, evalImgPerSec: 140, peakRssMb: 300 });
  });

  it('charges a fine-tuned model its parent’s training time too, and names the parent’s K_train and the mode', () => {
    const { db, tuned } = lab();
    const row = speedTable(db).find((r) => r.runId === tuned && r.kTest === 20)!;
    expect(row).toMatchObject({
      kTrain: 20,
      parentKTrain: 16,
      trainable: 'bn+classifier',
      augment: 'da1',
      trainSeconds: 10,
      totalTrainSeconds: 110,
    });
  });

  it('marks one best K_test per run and series, the smaller on a tie, and can list only those', () => {
    const { db, trained, tuned, unswept } = lab();
    const best = speedTable(db, { bestOnly: true });
    expect(best.map((r) => [r.runId, r.series, r.kTest])).toEqual([
      [trained, 'baseline', 20],
      [trained, 'frechet', 20],
      [tuned, 'finetuned', 20],
      [unswept, 'baseline', 24],
    ]);
    expect(best.every((r) => r.best)).toBe(true);
  });

  it('falls back to the last validation epoch for a run never swept, and filters by dataset', () => {
    const { db, b, unswept } = lab();
    expect(speedTable(db, { datasetId: b })).toEqual([
      expect.objectContaining({ runId: unswept, kTest: 24, top1: 0.55, top5: 0.9, evalImgPerSec: null, best: true }),
    ]);
  });
});
