import { describe, expect, it } from 'vitest';
import { filterRuns, sortRuns } from '../../src/renderer/src/lib/run-table';
import { RunsState } from '../../src/renderer/src/state/runs.svelte';
import { FakeClient } from './fake-client';
import { makeRun } from './fixtures';

const names: Record<number, string> = { 1: 'pets', 2: 'shapes' };
const datasetName = (id: number | null) => (id === null ? '—' : (names[id] ?? `#${id}`));

const runs = [
  makeRun({ id: 1, name: 'baseline', lastAcc: 0.7, datasetId: 1 }, { kTrain: 32 }),
  makeRun({ id: 2, name: 'small', lastAcc: null, datasetId: 2, status: 'failed' }, { kTrain: 16 }),
  makeRun({ id: 3, name: 'Large', lastAcc: 0.9, datasetId: 2, backend: null }, { kTrain: 64 }),
];

describe('sortRuns and filterRuns', () => {
  it('sorts numbers and text either way, with missing values last in both directions', () => {
    expect(sortRuns(runs, 'acc', 'desc', datasetName).map((r) => r.id)).toEqual([3, 1, 2]);
    expect(sortRuns(runs, 'acc', 'asc', datasetName).map((r) => r.id)).toEqual([1, 3, 2]);
    expect(sortRuns(runs, 'name', 'asc', datasetName).map((r) => r.id)).toEqual([1, 3, 2]);
    expect(sortRuns(runs, 'kTrain', 'asc', datasetName).map((r) => r.id)).toEqual([2, 1, 3]);
    expect(sortRuns(runs, 'backend', 'asc', datasetName).map((r) => r.id)).toEqual([2, 1, 3]);
  });

  it('filters by every word across name, dataset, status and #id, and by status', () => {
    expect(filterRuns(runs, { text: 'shapes', status: 'all' }, datasetName).map((r) => r.id)).toEqual([2, 3]);
    expect(filterRuns(runs, { text: 'shapes large', status: 'all' }, datasetName).map((r) => r.id)).toEqual([3]);
    expect(filterRuns(runs, { text: '#1', status: 'all' }, datasetName).map((r) => r.id)).toEqual([1]);
    expect(filterRuns(runs, { text: '', status: 'failed' }, datasetName).map((r) => r.id)).toEqual([2]);
  });
});

describe('RunsState', () => {
  it('shows the newest first, flips the direction on a second click and starts "best" columns descending', async () => {
    const state = new RunsState(
      new FakeClient().handle('runs.list', () => runs),
      datasetName,
    );
    await state.load();
    expect(state.visible.map((r) => r.id)).toEqual([3, 2, 1]);
    state.sortBy('acc');
    expect(state.visible.map((r) => r.id)).toEqual([3, 1, 2]);
    state.sortBy('acc');
    expect(state.sort.direction).toBe('asc');
    state.sortBy('name');
    expect(state.sort).toEqual({ key: 'name', direction: 'asc' });
    state.setFilter({ text: 'small' });
    expect(state.visible.map((r) => r.id)).toEqual([2]);
  });

  it('adds and updates runs from run.updated, and stops listening when asked', async () => {
    const client = new FakeClient().handle('runs.list', () => runs.slice(0, 1));
    const state = new RunsState(client, datasetName);
    await state.load();
    const stop = state.listen();
    client.emit('run.updated', makeRun({ id: 4, status: 'running' }));
    client.emit('run.updated', { ...runs[0]!, lastAcc: 0.75 });
    expect(state.all.map((r) => [r.id, r.lastAcc])).toEqual([
      [4, null],
      [1, 0.75],
    ]);
    stop();
    expect(client.listenerCount('run.updated')).toBe(0);
  });

  it('removes a deleted run from the table and the comparison, and shows a refusal in place', async () => {
    let refuse = false;
    const client = new FakeClient()
      .handle('runs.list', () => runs)
      .handle('runs.delete', ({ id }) => {
        if (refuse) throw new Error(`Run ${id} is running; cancel it first`);
        return { deleted: true };
      });
    const state = new RunsState(client, datasetName);
    await state.load();
    state.togglePick(1);
    state.togglePick(3);
    expect(await state.remove(1)).toBe(true);
    expect(state.all.map((r) => r.id)).toEqual([2, 3]);
    expect(state.picked).toEqual([3]);
    refuse = true;
    expect(await state.remove(3)).toBe(false);
    expect(state.error).toBe('Run 3 is running; cancel it first');
    expect(state.all).toHaveLength(2);
  });
});
