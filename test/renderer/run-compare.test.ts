import { describe, expect, it } from 'vitest';
import type { EpochRow } from '../../src/shared/api/runs';
import { RunCompareState } from '../../src/renderer/src/state/run-compare.svelte';
import { FakeClient } from './fake-client';
import { makeDetail, makeRun } from './fixtures';

const valRow = (epoch: number, acc: number): EpochRow => ({
  epoch,
  phase: 'val',
  loss: 1,
  acc,
  top5: null,
  lr: 0.1,
  imgPerSec: null,
  seconds: null,
});

describe('RunCompareState', () => {
  it('overlays runs with equal curves so each stays visible: own colour and marker, later ones larger and wider', async () => {
    const epochs = [valRow(0, 0.5), valRow(1, 0.6)];
    const client = new FakeClient().handle('runs.get', ({ id }) => makeDetail(makeRun({ id }), epochs));
    const compare = new RunCompareState(client);
    await compare.load([3, 4, 5]);
    const lines = compare.series('acc');
    expect(lines.map((l) => l.label)).toEqual(['#3 val', '#4 val', '#5 val']);
    expect(lines.map((l) => l.points)).toEqual([lines[0]!.points, lines[0]!.points, lines[0]!.points]);
    expect(lines.map((l) => l.color)).toEqual([0, 1, 2]);
    expect(new Set(lines.map((l) => l.pointShape)).size).toBe(3);
    for (let i = 1; i < lines.length; i++) {
      expect(lines[i]!.pointRadius!).toBeGreaterThan(lines[i - 1]!.pointRadius!);
      expect(lines[i]!.lineWidth!).toBeGreaterThan(lines[i - 1]!.lineWidth!);
    }
  });
});
