import { describe, expect, it } from 'vitest';
import { listActivationStats, listSweepPoints } from '../../src/store/analysis';
import { openDatabase, type Db } from '../../src/store/db';
import { deleteRun, insertRun } from '../../src/store/runs';
import * as store from '../../src/store/sweeps';
import type { SweepSettings } from '../../src/shared/api/sweeps';
import { frozenRunConfig } from '../helpers/frozen-config';

function dbWithRun(): Db {
  const { db } = openDatabase(':memory:');
  insertRun(db, {
    kind: 'train',
    name: 'r',
    parentId: null,
    datasetId: null,
    config: frozenRunConfig(),
    checkpointDir: (id) => `/tmp/${id}`,
  });
  return db;
}

const settings: SweepSettings = {
  kTests: [16, 24, 32],
  kTrain: 24,
  kTestStar: 32,
  cropPct: 0.875,
  reference: 'train-augment',
  referenceImages: 100,
  reservoir: 1000,
  xi: 0.3,
  freeXi: false,
  batchSize: 64,
};
const summary = {
  n: 10,
  nonFinite: 0,
  zeros: 2,
  mean: 1,
  std: 0.5,
  min: 0,
  max: 3,
  histogram: { accuracy: 0.01, positive: { offset: 0, counts: [8] }, negative: { offset: 0, counts: [] } },
};
const point = (kTest: number, adapter: 'none' | 'frechet', top1: number) => ({
  runId: 1,
  kTest,
  adapter,
  top1,
  top5: 1,
  loss: 0.5,
  n: 10,
  seconds: 0.25,
  imgPerSec: 40,
});

describe('sweeps store', () => {
  it('records a sweep’s lifecycle with its settings, reference, time, speed and peak memory', () => {
    const db = dbWithRun();
    const row = store.insertSweep(db, { runId: 1, adapter: 'frechet', settings });
    expect(row).toMatchObject({ status: 'queued', done: 0, run_id: 1 });
    store.markSweepRunning(db, row.id);
    store.setSweepBackend(db, row.id, 'wasm');
    const reference = {
      source: 'train-augment' as const,
      kTrain: 24,
      images: 100,
      summary,
      frechet: { mu: 1, sigma: 0.5, xi: 0.3, zeros: 'censored' as const, ks: 0.02 },
    };
    store.setSweepReference(db, row.id, reference);
    store.endSweep(db, row.id, { status: 'cancelled', wallSeconds: 2, imgPerSec: 50, peakRssMb: 300 });
    store.markSweepQueued(db, row.id);
    store.endSweep(db, row.id, { status: 'completed', wallSeconds: 3, imgPerSec: 60, peakRssMb: 200 });
    const end = store.getSweep(db, row.id)!;
    expect(end).toMatchObject({ status: 'completed', backend: 'wasm', wall_seconds: 5, img_per_sec: 60, peak_rss_mb: 300 });
    expect(end.settings).toEqual(settings);
    expect(end.reference).toEqual(reference);
  });

  it('stores a resolution’s points with their sweep and timing and its statistics in one go', () => {
    const db = dbWithRun();
    const first = store.insertSweep(db, { runId: 1, adapter: 'none', settings });
    store.saveSweepResolution(db, first.id, [point(24, 'none', 0.5), point(24, 'frechet', 0.55)], {
      runId: 1,
      kTest: 24,
      summary,
      frechet: null,
    });
    store.saveSweepResolution(db, first.id, [point(32, 'none', 0.6)], null);
    expect(store.getSweep(db, first.id)!.done).toBe(2);
    expect(store.listSweepPointsOf(db, first.id).map((p) => [p.adapter, p.kTest, p.sweepId, p.seconds, p.imgPerSec])).toEqual([
      ['frechet', 24, first.id, 0.25, 40],
      ['none', 24, first.id, 0.25, 40],
      ['none', 32, first.id, 0.25, 40],
    ]);
    expect(listActivationStats(db, 1).map((a) => a.kTest)).toEqual([24]);

    const again = store.insertSweep(db, { runId: 1, adapter: 'none', settings });
    store.saveSweepResolution(db, again.id, [point(32, 'none', 0.7)], null);
    expect(store.getSweep(db, first.id)!.done).toBe(1);
    expect(listSweepPoints(db, 1, 'none').map((p) => [p.kTest, p.top1])).toEqual([
      [24, 0.5],
      [32, 0.7],
    ]);
    expect(store.listRunPoints(db, 1)).toHaveLength(3);
    expect(store.listSweeps(db, 1).map((s) => s.id)).toEqual([again.id, first.id]);
  });

  it('marks sweeps left running as interrupted and removes them with their run', () => {
    const db = dbWithRun();
    const row = store.insertSweep(db, { runId: 1, adapter: 'none', settings });
    store.markSweepRunning(db, row.id);
    store.interruptActiveSweeps(db, 'closed');
    expect(store.getSweep(db, row.id)).toMatchObject({ status: 'interrupted', error: 'closed' });
    deleteRun(db, 1);
    expect(store.listSweeps(db)).toEqual([]);
  });
});
