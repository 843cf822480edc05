import { LabError } from '../../src/shared/errors';
import { describe, expect, it } from 'vitest';
import type { ResolutionChart, Sweep } from '../../src/shared/api/sweeps';
import {
  parseKTests,
  resolutionLines,
  resolutionMarkers,
  resolutionRows,
  sweepFraction,
} from '../../src/renderer/src/lib/resolution';
import { ResolutionState } from '../../src/renderer/src/state/resolution.svelte';
import { FakeClient } from './fake-client';
import { makeRun } from './fixtures';

const point = (kTest: number, top1: number) => ({
  kTest,
  top1,
  top5: null,
  loss: 1,
  n: 10,
  ci95: [top1 - 0.2, top1 + 0.2] as [number, number],
  selection: null,
  heldOut: null,
});
const chart: ResolutionChart = {
  runId: 1,
  kTrain: 8,
  kTestStar: 10,
  cropPct: 0.875,
  series: [
    { key: '1:baseline', label: 'base', kind: 'baseline', runId: 1, kTrain: 8, points: [point(12, 0.6), point(8, 0.5)] },
    { key: '1:frechet', label: 'fréchet', kind: 'frechet', runId: 1, kTrain: 8, points: [point(12, 0.65)] },
    { key: '2:finetuned', label: 'ft', kind: 'finetuned', runId: 2, kTrain: 12, points: [point(16, 0.7)] },
  ],
  best: {
    key: '2:finetuned',
    kTest: 16,
    top1: 0.7,
    pickedOn: 'all',
    reportedOn: 'all',
    reported: { top1: 0.7, n: 10, ci95: [0.5, 0.9] },
  },
  atKTrain: { top1: 0.5, reported: { top1: 0.5, n: 10, ci95: [0.3, 0.7] } },
  gain: null,
  warnings: [],
};

const sweep = (overrides: Partial<Sweep>): Sweep => ({
  id: 5,
  runId: 1,
  adapter: 'none',
  status: 'queued',
  settings: {
    kTests: [8, 12, 16],
    kTrain: 8,
    kTestStar: 10,
    cropPct: 0.875,
    reference: 'train-augment',
    referenceImages: 10,
    reservoir: 100,
    xi: 0.3,
    freeXi: false,
    batchSize: 8,
  },
  reference: null,
  backend: 'cpu',
  createdAt: '',
  startedAt: null,
  finishedAt: null,
  wallSeconds: 0,
  imgPerSec: null,
  peakRssMb: null,
  error: null,
  done: 0,
  ...overrides,
});

describe('resolution chart helpers', () => {
  it('draws each series sorted by K_test, the Fréchet one dashed, with K_train and K_test* markers', () => {
    const lines = resolutionLines(chart);
    expect(lines[0]!.points).toEqual([
      { x: 8, y: 0.5 },
      { x: 12, y: 0.6 },
    ]);
    expect(lines.map((l) => [l.color, Boolean(l.dashed)])).toEqual([
      [0, false],
      [1, true],
      [2, false],
    ]);
    expect(resolutionMarkers(chart).map((m) => m.label)).toEqual(['K_train 8', 'K_test* 10']);
    expect(resolutionMarkers({ kTrain: 8, kTestStar: null })).toHaveLength(1);
  });

  it('keeps a series that equals an earlier one visible: its own marker shape, drawn larger and wider beneath it', () => {
    const same = { ...chart, series: chart.series.map((s) => ({ ...s, points: [point(8, 0.5), point(12, 0.6)] })) };
    const lines = resolutionLines(same);
    expect(lines.map((l) => l.points)).toEqual([lines[0]!.points, lines[0]!.points, lines[0]!.points]);
    expect(new Set(lines.map((l) => l.pointShape)).size).toBe(3);
    for (let i = 1; i < lines.length; i++) {
      expect(lines[i]!.pointRadius!).toBeGreaterThan(lines[i - 1]!.pointRadius!);
      expect(lines[i]!.lineWidth!).toBeGreaterThan(lines[i - 1]!.lineWidth!);
    }
  });

  it('tabulates every measured K_test with a gap where a series has no point', () => {
    const rows = resolutionRows(chart);
    expect(rows.map((r) => r.kTest)).toEqual([8, 12, 16]);
    expect(rows[0]!.cells.map((c) => c?.top1 ?? null)).toEqual([0.5, null, null]);
  });

  it('reads typed K_test lists, sorted and deduplicated, and names a bad entry', () => {
    expect(parseKTests(' 16, 8;8 12 ')).toEqual({ kTests: [8, 12, 16], error: null });
    expect(parseKTests('')).toEqual({ kTests: [], error: null });
    expect(parseKTests('8, 2000').error).toMatch(/“2000”/);
    expect(parseKTests('8.5').error).toMatch(/“8.5”/);
  });

  it('counts sweep progress over resolutions and the current pass', () => {
    expect(sweepFraction({ index: 1, resolutions: 4, done: 5, total: 10 })).toBeCloseTo(0.375);
    expect(sweepFraction({ index: 0, resolutions: 0, done: 0, total: 0 })).toBe(0);
  });
});

function labClient(): FakeClient {
  return new FakeClient()
    .handle('sweeps.resolution', () => chart)
    .handle('sweeps.plan', () => ({ runId: 1, kTrain: 8, kTests: [4, 8, 16], step: 2, kTestStar: 10, note: null }))
    .handle('sweeps.list', () => [])
    .handle('runs.list', () => []);
}

describe('ResolutionState', () => {
  it('follows a sweep it started and reloads the chart when it finishes', async () => {
    const client = labClient().handle('sweeps.start', () => sweep({}));
    const state = new ResolutionState(client, 1);
    state.listen();
    await state.load();
    await state.startSweep({ adapter: 'frechet', kTests: [8, 12] });
    expect(client.callsTo('sweeps.start')).toEqual([{ runId: 1, adapter: 'frechet', kTests: [8, 12] }]);
    expect(state.sweepRunning).toBe(true);
    client.emit('sweep.updated', sweep({ status: 'running' }));
    client.emit('sweep.progress', {
      sweepId: 5,
      runId: 1,
      phase: 'evaluate',
      kTest: 8,
      index: 0,
      resolutions: 3,
      done: 1,
      total: 2,
      imgPerSec: 9,
    });
    expect(state.sweepProgress?.kTest).toBe(8);
    const before = client.callsTo('sweeps.resolution').length;
    client.emit('sweep.updated', sweep({ status: 'completed', done: 3 }));
    expect(state.sweepRunning).toBe(false);
    expect(state.sweepProgress).toBeNull();
    expect(client.callsTo('sweeps.resolution').length).toBe(before + 1);
  });

  it('cancels its running sweep and shows how it ended', async () => {
    const client = labClient()
      .handle('sweeps.start', () => sweep({ status: 'running' }))
      .handle('sweeps.cancel', () => sweep({ status: 'cancelled', done: 1 }));
    const state = new ResolutionState(client, 1);
    await state.load();
    await state.startSweep({ adapter: 'none' });
    await state.cancelSweep();
    expect(client.callsTo('sweeps.cancel')).toEqual([{ id: 5 }]);
    expect(state.sweepRunning).toBe(false);
    expect(state.sweep?.status).toBe('cancelled');
  });

  it('follows a sweep of the run started elsewhere (CLI, workflow)', async () => {
    const client = labClient();
    const state = new ResolutionState(client, 1);
    state.listen();
    await state.load();
    client.emit('sweep.updated', sweep({ id: 9, runId: 7, status: 'running' }));
    expect(state.sweep).toBeNull();
    client.emit('sweep.updated', sweep({ id: 9, status: 'running' }));
    expect(state.sweep?.id).toBe(9);
  });

  it('keeps a refused sweep as an error of the sweep panel, not of the view', async () => {
    const client = labClient().handle('sweeps.start', () => {
      throw new Error('Run 1 has no checkpoint yet');
    });
    const state = new ResolutionState(client, 1);
    await state.load();
    await state.startSweep({ adapter: 'none' });
    expect(state.sweepError).toBe('Run 1 has no checkpoint yet');
    expect(state.error).toBeNull();
    expect(state.busy).toBe(false);
  });

  it('asks the lab to fine-tune and sweep the child after it, then follows the child through training and its sweep', async () => {
    const child = makeRun({ id: 2, kind: 'finetune', parentId: 1, status: 'queued' });
    const chained = sweep({ id: 6, runId: 2, status: 'queued' });
    const client = labClient()
      .handle('runs.finetune', () => ({ run: child, sweep: chained }))
      .handle('sweeps.list', () => [sweep({ status: 'completed' })]);
    const state = new ResolutionState(client, 1);
    state.listen();
    await state.load();
    await state.startFinetune({ kTest: 12, mode: 'bn+classifier', epochs: 1 });
    expect(client.callsTo('runs.finetune')).toEqual([
      { parentRunId: 1, kTest: 12, mode: 'bn+classifier', epochs: 1, sweepAfter: {} },
    ]);
    client.emit('run.updated', { ...child, status: 'running' });
    expect([state.finetuneRunning, state.finetuneSweeping]).toEqual([true, false]);
    client.emit('run.updated', { ...child, status: 'completed' });
    expect([state.finetuneRunning, state.finetuneSweeping]).toEqual([true, true]);
    client.emit('sweep.updated', { ...chained, status: 'running' });
    expect(state.finetune?.sweep?.status).toBe('running');
    client.emit('sweep.updated', { ...chained, status: 'completed' });
    expect([state.finetuneRunning, state.finetuneSweeping]).toEqual([false, false]);
    expect(client.callsTo('sweeps.start')).toEqual([]);
  });

  it('reports why a fine-tune failed, not the sweep that then ended behind it, and starts no sweep itself', async () => {
    const child = makeRun({ id: 2, kind: 'finetune', parentId: 1, status: 'running' });
    const chained = sweep({ id: 6, runId: 2, status: 'queued' });
    const client = labClient().handle('runs.finetune', () => ({ run: child, sweep: chained }));
    const state = new ResolutionState(client, 1);
    state.listen();
    await state.load();
    await state.startFinetune({ kTest: 12 });
    client.emit('run.updated', { ...child, status: 'failed', error: 'out of memory' });
    expect(state.finetuneError).toBe('out of memory');
    client.emit('sweep.updated', { ...chained, status: 'cancelled', error: 'Run #2 was failed before it could be swept' });
    expect(state.finetuneError).toBe('out of memory');
    expect(state.finetuneRunning).toBe(false);
    expect(client.callsTo('sweeps.start')).toEqual([]);
  });

  it('picks up a fine-tune whose child has trained and whose sweep is still running', async () => {
    const child = makeRun({ id: 2, kind: 'finetune', parentId: 1, status: 'completed' });
    const client = labClient()
      .handle('runs.list', () => [makeRun({ id: 1 }), child])
      .handle('sweeps.list', ({ runId }) => (runId === 2 ? [sweep({ id: 6, runId: 2, status: 'running' })] : []));
    const state = new ResolutionState(client, 1);
    await state.load();
    expect([state.finetune?.run.id, state.finetune?.sweep?.id, state.finetuneSweeping]).toEqual([2, 6, true]);
  });

  it('says when the run does not exist, by the error’s code and not its wording', async () => {
    const client = new FakeClient().handle('sweeps.resolution', () => {
      throw new LabError({ name: 'NoSuchRow', code: 'NotFound', message: 'There is no run 9', field: 'runId' });
    });
    const state = new ResolutionState(client, 9);
    await state.load();
    expect(state.notFound).toBe(true);
    const other = new FakeClient().handle('sweeps.resolution', () => {
      throw new LabError({ name: 'Error', code: 'Internal', message: 'No run with id 9' });
    });
    const failed = new ResolutionState(other, 9);
    await failed.load();
    expect([failed.notFound, failed.error]).toEqual([false, expect.stringMatching(/^No run with id 9\. Try again/)]);
  });
});
