import { LabError } from '../../src/shared/errors';
import { describe, expect, it } from 'vitest';
import type { RunProgress } from '../../src/shared/api/runs';
import { epochCurves, insertByX, mergeLive, runFraction, thinBefore } from '../../src/renderer/src/lib/run-curves';
import { RunWatch } from '../../src/renderer/src/state/run-watch.svelte';
import { FakeClient } from './fake-client';
import { makeDetail, makeRun } from './fixtures';

const progress = (runId: number, epoch: number, batch: number, loss: number): RunProgress => ({
  runId,
  epoch,
  epochs: 2,
  batch,
  batchesPerEpoch: 4,
  loss,
  acc: 0.5,
  lr: 0.1,
  imgPerSec: 120,
  etaSeconds: 30,
});

const epochRow = (epoch: number, phase: 'train' | 'val', loss: number) => ({
  epoch,
  phase,
  loss,
  acc: 0.5,
  top5: null,
  lr: 0.1,
  imgPerSec: 100,
  seconds: 1,
});

describe('run curves', () => {
  it('puts epoch e at x = e + 1 per phase and joins live running means in x order', () => {
    const { train, val } = epochCurves([epochRow(1, 'train', 0.8), epochRow(0, 'train', 1), epochRow(0, 'val', 0.9)], 'loss');
    expect(train).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 0.8 },
    ]);
    expect(val).toEqual([{ x: 1, y: 0.9 }]);
    const live = [
      { x: 0.5, y: 1.2 },
      { x: 1, y: 1.05 },
      { x: 1.5, y: 0.9 },
    ];
    expect(mergeLive(train.slice(0, 1), live).map((p) => p.x)).toEqual([0.5, 1, 1.5]);
    expect(mergeLive(train.slice(0, 1), live)[1]!.y).toBe(1);
  });

  it('inserts a live point in x order, in place, and keeps a stored point at the same x', () => {
    const points = [
      { x: 1, y: 1 },
      { x: 2, y: 0.8 },
    ];
    insertByX(points, { x: 2.5, y: 0.7 });
    insertByX(points, { x: 1.5, y: 0.9 });
    insertByX(points, { x: 2, y: 0.1 });
    insertByX(points, { x: 0.5, y: 1.2 });
    expect(points).toEqual([
      { x: 0.5, y: 1.2 },
      { x: 1, y: 1 },
      { x: 1.5, y: 0.9 },
      { x: 2, y: 0.8 },
      { x: 2.5, y: 0.7 },
    ]);
  });

  it('thins the live points of finished epochs evenly and keeps the current epoch whole', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ x: i / 100, y: i }));
    const thinned = thinBefore(points, 5, 100);
    const before = thinned.filter((p) => p.x <= 5);
    expect(before.length).toBeLessThanOrEqual(101);
    expect(before[0]).toEqual({ x: 0, y: 0 });
    expect(before.at(-1)).toEqual({ x: 5, y: 500 });
    expect(thinned.filter((p) => p.x > 5)).toHaveLength(499);
    expect(thinBefore(points, 0.5, 100)).toEqual(points);
  });

  it('reports the fraction of the whole run done', () => {
    expect(runFraction(progress(1, 1, 2, 0))).toBe(0.75);
  });
});

describe('RunWatch', () => {
  it('appends live points for its own run only, and re-reads epochs once per finished epoch', async () => {
    const run = makeRun({ id: 7, status: 'running', epochsDone: 0 }, { epochs: 2 });
    let stored = makeDetail(run);
    const client = new FakeClient().handle('runs.get', () => stored);
    const watch = new RunWatch(client, 7);
    await watch.load();
    const stop = watch.listen();

    const before = watch.revision;
    const curves = watch.series('loss');
    client.emit('run.progress', progress(7, 0, 2, 1.3));
    client.emit('run.progress', progress(8, 0, 3, 9));
    client.emit('run.progress', progress(7, 0, 3, 1.2));
    expect(watch.progress?.loss).toBe(1.2);
    expect(watch.revision).toBe(before + 2);
    // Live points grow the same arrays in place, so a chart redraws without copying them.
    expect(watch.series('loss')).toBe(curves);
    expect(curves[0]!.points).toEqual([
      { x: 0.5, y: 1.3 },
      { x: 0.75, y: 1.2 },
    ]);

    stored = makeDetail({ ...run, epochsDone: 1 }, [epochRow(0, 'train', 1.1), epochRow(0, 'val', 0.9)]);
    client.emit('run.updated', { ...run, epochsDone: 1 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(client.callsTo('runs.get')).toHaveLength(2);
    expect(watch.series('loss').map((s) => s.points.length)).toEqual([3, 1]);
    expect(watch.series('loss')[0]!.points.at(-1)).toEqual({ x: 1, y: 1.1 });

    client.emit('run.updated', { ...run, epochsDone: 1, lastAcc: 0.6 });
    expect(client.callsTo('runs.get')).toHaveLength(2);
    expect(watch.detail?.lastAcc).toBe(0.6);
    stop();
    expect(client.listenerCount('run.progress') + client.listenerCount('run.updated')).toBe(0);
  });

  it('shows a refused cancel in place and says when the run does not exist', async () => {
    const client = new FakeClient()
      .handle('runs.get', ({ id }) => {
        throw new LabError({ name: 'NoSuchRow', code: 'NotFound', message: `No run with id ${id}`, field: 'id' });
      })
      .handle('runs.cancel', () => {
        throw new Error('Run 5 is not queued or running (completed)');
      });
    const watch = new RunWatch(client, 5);
    await watch.load();
    expect(watch.notFound).toBe(true);
    expect(watch.deleted).toBe(false);
    await watch.cancel();
    expect(watch.error).toBe('Run 5 is not queued or running (completed)');
    expect(watch.busy).toBe(false);
  });

  it('resumes as is, or on another backend when its own does not load here', async () => {
    const client = new FakeClient().handle('runs.resume', ({ id }) => makeRun({ id }));
    const watch = new RunWatch(client, 5);
    await watch.resume();
    await watch.resume('wasm');
    expect(client.callsTo('runs.resume')).toEqual([{ id: 5 }, { id: 5, backend: 'wasm' }]);
  });

  it('tells a deleted run from one that never existed, as the lab does: by the error’s code and name, not its wording', async () => {
    const client = new FakeClient().handle('runs.get', ({ id }) => {
      throw new LabError({ name: 'RowDeleted', code: 'NotFound', message: `Run #${id} is gone`, field: 'id' });
    });
    const watch = new RunWatch(client, 10);
    await watch.load();
    expect(watch).toMatchObject({ notFound: true, deleted: true, error: 'Run #10 is gone' });
    const worded = new FakeClient().handle('runs.get', ({ id }) => {
      throw new Error(`Run #${id} was deleted`);
    });
    const other = new RunWatch(worded, 10);
    await other.load();
    expect(other).toMatchObject({ notFound: false, deleted: false, error: 'Run #10 was deleted' });
  });
});
