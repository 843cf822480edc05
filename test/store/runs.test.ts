import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db';
import * as datasets from '../../src/store/datasets';
import * as runs from '../../src/store/runs';
import { frozenRunConfig } from '../helpers/frozen-config';

function setup() {
  const { db } = openDatabase(':memory:');
  const dataset = datasets.upsertDataset(db, '/data/pets', 'pets');
  const run = runs.insertRun(db, {
    kind: 'train',
    name: 'first',
    parentId: null,
    datasetId: dataset.id,
    config: frozenRunConfig({ datasetId: dataset.id, lr: 0.1 }),
    checkpointDir: (id) => `/home/runs/${id}`,
  });
  return { db, dataset, run };
}

const epoch = (n: number, acc: number) => [
  { epoch: n, phase: 'train' as const, loss: 1, acc: acc - 0.1, top5: null, lr: 0.1, img_per_sec: 100, seconds: 2 },
  { epoch: n, phase: 'val' as const, loss: 0.9, acc, top5: 1, lr: 0.1, img_per_sec: 400, seconds: 0.5 },
];

describe('runs repository', () => {
  it('inserts a queued run with its frozen config and checkpoint folder', () => {
    const { run } = setup();
    expect(run).toMatchObject({ status: 'queued', name: 'first', checkpoint_dir: `/home/runs/${run.id}`, epochs_done: 0 });
    expect(run.config).toEqual(frozenRunConfig({ datasetId: run.dataset_id!, lr: 0.1 }));
  });

  it('writes epochs idempotently and reports the last validation accuracy', () => {
    const { db, run } = setup();
    runs.saveEpoch(db, run.id, epoch(0, 0.5));
    runs.saveEpoch(db, run.id, epoch(1, 0.7));
    runs.saveEpoch(db, run.id, epoch(1, 0.7));
    expect(runs.listEpochs(db, run.id)).toHaveLength(4);
    expect(runs.getRun(db, run.id)).toMatchObject({ epochs_done: 2, last_acc: 0.7 });
  });

  it('accumulates wall time over sessions and keeps the peak memory', () => {
    const { db, run } = setup();
    runs.markRunning(db, run.id);
    runs.endSession(db, run.id, { status: 'cancelled', wallSeconds: 10, imgPerSec: 50, peakRssMb: 300 });
    runs.markRunning(db, run.id);
    runs.endSession(db, run.id, { status: 'completed', wallSeconds: 5, imgPerSec: 60, peakRssMb: 200 });
    expect(runs.getRun(db, run.id)).toMatchObject({ status: 'completed', wall_seconds: 15, img_per_sec: 60, peak_rss_mb: 300 });
  });

  it('marks queued and running runs interrupted at start, with the reason', () => {
    const { db, run } = setup();
    runs.markRunning(db, run.id);
    expect(runs.interruptActiveRuns(db, 'The app closed')).toEqual([run.id]);
    expect(runs.getRun(db, run.id)).toMatchObject({ status: 'interrupted', error: 'The app closed' });
  });

  it('deletes a run with its epochs and keeps runs when their dataset goes', () => {
    const { db, dataset, run } = setup();
    runs.saveEpoch(db, run.id, epoch(0, 0.5));
    datasets.deleteDataset(db, dataset.id);
    expect(runs.getRun(db, run.id)!.dataset_id).toBeNull();
    expect(runs.deleteRun(db, run.id)).toBe(true);
    expect(runs.listEpochs(db, run.id)).toEqual([]);
  });

  it('refuses an unknown status', () => {
    const { db, run } = setup();
    expect(() => db.prepare(`UPDATE runs SET status = 'exploded' WHERE id = ?`).run(run.id)).toThrow(/CHECK constraint/);
  });
});
