import { describe, expect, it } from 'vitest';
import * as store from '../../src/store/analysis';
import { openDatabase, type Db } from '../../src/store/db';
import { insertRun } from '../../src/store/runs';
import type { ActivationSummary } from '../../src/shared/api/analysis';
import { frozenRunConfig } from '../helpers/frozen-config';

/** A database holding runs with ids 1…n (sweep points and statistics belong to runs). */
function dbWithRuns(...ids: number[]): Db {
  const { db } = openDatabase(':memory:');
  for (let i = 1; i <= Math.max(0, ...ids); i++) {
    insertRun(db, {
      kind: 'train',
      name: `run ${i}`,
      parentId: null,
      datasetId: null,
      config: frozenRunConfig(),
      checkpointDir: (id) => `/tmp/runs/${id}`,
    });
  }
  return db;
}

const summary: ActivationSummary = {
  n: 1000,
  nonFinite: 2,
  zeros: 150,
  mean: 0.8,
  std: 0.6,
  min: 0,
  max: 5.25,
  histogram: { accuracy: 0.01, positive: { offset: -120, counts: [3, 0, 9] }, negative: { offset: 0, counts: [] } },
};

describe('sweep points', () => {
  it('stores one point per (run, K_test, adapter), replacing a re-evaluated one', () => {
    const db = dbWithRuns(1, 2);
    store.saveSweepPoint(db, { runId: 1, kTest: 224, adapter: 'none', top1: 0.7, top5: 0.9, loss: 1.1, n: 500 });
    store.saveSweepPoint(db, { runId: 1, kTest: 160, adapter: 'none', top1: 0.6, top5: null, loss: null, n: 500 });
    store.saveSweepPoint(db, { runId: 1, kTest: 224, adapter: 'frechet', top1: 0.72, top5: 0.91, loss: 1.0, n: 500 });
    store.saveSweepPoint(db, { runId: 1, kTest: 224, adapter: 'none', top1: 0.71, top5: 0.9, loss: 1.05, n: 500 });
    store.saveSweepPoint(db, { runId: 2, kTest: 224, adapter: 'none', top1: 0.5, top5: 0.8, loss: 2, n: 10 });
    expect(store.listSweepPoints(db, 1).map((p) => [p.adapter, p.kTest, p.top1])).toEqual([
      ['frechet', 224, 0.72],
      ['none', 160, 0.6],
      ['none', 224, 0.71],
    ]);
    expect(store.listSweepPoints(db, 1, 'none')).toHaveLength(2);
    expect(store.listSweepPoints(db, 1, 'none')[0]).toEqual({
      runId: 1,
      kTest: 160,
      adapter: 'none',
      top1: 0.6,
      top5: null,
      loss: null,
      n: 500,
    });
    expect(store.deleteSweepPoints(db, 1, 'frechet')).toBe(1);
    expect(store.listSweepPoints(db, 2)).toHaveLength(1);
  });

  it('refuses impossible values and unknown adapters', () => {
    const db = dbWithRuns(1);
    const ok = { runId: 1, kTest: 224, adapter: 'none' as const, top1: 0.5, top5: null, loss: null, n: 1 };
    expect(() => store.saveSweepPoint(db, { ...ok, top1: 1.5 })).toThrow(/CHECK/);
    expect(() => store.saveSweepPoint(db, { ...ok, kTest: 0 })).toThrow(/CHECK/);
    expect(() => store.saveSweepPoint(db, { ...ok, adapter: 'magic' as never })).toThrow(/CHECK/);
    expect(() => store.saveSweepPoint(db, { ...ok, n: 0 })).toThrow(/CHECK/);
  });

  it('needs its run to exist, and goes when the run is deleted', () => {
    const db = dbWithRuns(1);
    expect(() =>
      store.saveSweepPoint(db, { runId: 99, kTest: 224, adapter: 'none', top1: 0.5, top5: null, loss: null, n: 1 }),
    ).toThrow(/FOREIGN KEY/);
    store.saveSweepPoint(db, { runId: 1, kTest: 224, adapter: 'none', top1: 0.5, top5: null, loss: null, n: 1 });
    store.saveActivationStats(db, { runId: 1, kTest: 224, summary, frechet: null });
    db.prepare('DELETE FROM runs WHERE id = 1').run();
    expect(store.listSweepPoints(db, 1)).toEqual([]);
    expect(store.listActivationStats(db, 1)).toEqual([]);
  });
});

describe('activation statistics', () => {
  it('round-trips a summary and its Fréchet fit, replacing an earlier one for the same K_test', () => {
    const db = dbWithRuns(3);
    const frechet = { mu: 0.4, sigma: 0.3, xi: 0.3, zeros: 'censored' as const, ks: 0.012 };
    store.saveActivationStats(db, { runId: 3, kTest: 288, summary: { ...summary, mean: 9 }, frechet: null });
    store.saveActivationStats(db, { runId: 3, kTest: 288, summary, frechet });
    store.saveActivationStats(db, { runId: 3, kTest: 160, summary, frechet: null });
    expect(store.listActivationStats(db, 3)).toEqual([
      { runId: 3, kTest: 160, summary, frechet: null },
      { runId: 3, kTest: 288, summary, frechet },
    ]);
  });

  it('refuses a malformed histogram before it reaches the database', () => {
    const db = dbWithRuns(3);
    const bad = { ...summary, histogram: { ...summary.histogram, positive: { offset: 0.5, counts: [1] } } };
    expect(() => store.saveActivationStats(db, { runId: 3, kTest: 224, summary: bad, frechet: null })).toThrow();
    expect(store.listActivationStats(db, 3)).toEqual([]);
  });
});
