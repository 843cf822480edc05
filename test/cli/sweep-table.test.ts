import { describe, expect, it } from 'vitest';
import { sweepTable } from '../../src/cli/commands/sweep';
import { ActivationAccumulator } from '../../src/core/activation-stats';
import type { SweepDetail, SweepPoint } from '../../src/shared/api/sweeps';
import { sweepSettings } from '../helpers/sweep-settings';

function summaryOf(values: number[]) {
  const acc = new ActivationAccumulator();
  acc.add(values);
  return acc.summary();
}

function sweep(freeXi: boolean): SweepDetail {
  return {
    id: 4,
    runId: 2,
    adapter: 'none',
    status: 'completed',
    settings: sweepSettings({ kTests: [16, 24], freeXi }),
    reference: null,
    backend: 'wasm',
    createdAt: '2026-11-27T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    wallSeconds: 3,
    imgPerSec: 100,
    peakRssMb: 300,
    error: null,
    done: 2,
    points: [],
    activations: [
      {
        runId: 2,
        kTest: 16,
        summary: summaryOf([0, 0, 1, 2, 5]),
        frechet: { mu: 0.5, sigma: 0.4, xi: 0.25, zeros: 'censored', ks: 0.05 },
      },
      { runId: 2, kTest: 24, summary: summaryOf([0, 1, 1, 3]), frechet: null },
    ],
  };
}

const point = (kTest: number, top1: number): SweepPoint => ({
  runId: 2,
  sweepId: 4,
  kTest,
  adapter: 'none',
  top1,
  top5: 1,
  loss: 0.5,
  n: 10,
  seconds: 1,
  imgPerSec: 10,
  ci95: [top1 - 0.25, top1 + 0.05],
});

/** The table's cells under one header, by line. */
function column(table: string, header: string): string[] {
  const lines = table.split('\n');
  const head = lines.findIndex((l) => l.trimStart().startsWith('K_test'));
  const names = lines[head]!.trim().split(/\s+/);
  const at = names.indexOf(header);
  return at < 0 ? [] : lines.slice(head + 1, head + 3).map((l) => l.trim().split(/\s+/)[at]!);
}

describe('sweepTable (fixres sweep)', () => {
  it('shows per K_test the pooled features’ mean, std, zero fraction and max next to top-1 and the fit', () => {
    const table = sweepTable(sweep(false), [point(16, 0.8), point(24, 0.9)]);
    expect(column(table, 'top-1')).toEqual(['80.0%', '90.0%']);
    expect(column(table, '95%-interval')).toEqual(['55.0–85.0', '65.0–95.0']);
    expect(table).toContain('top-1 on all 10 validation images with its Wilson 95 % interval');
    expect(column(table, 'zeros')).toEqual(['40.0%', '25.0%']);
    expect(column(table, 'max')).toEqual(['5.000', '3.000']);
    expect(column(table, 'μ')).toEqual(['0.5000', '–']);
    expect(column(table, 'KS')).toEqual(['0.050', '–']);
    expect(column(table, 'ξ')).toEqual([]);
    expect(table).toContain('(ξ 0.3)');
  });

  it('adds a ξ column when the sweep fitted ξ freely', () => {
    const table = sweepTable(sweep(true), [point(16, 0.8), point(24, 0.9)]);
    expect(column(table, 'ξ')).toEqual(['0.250', '–']);
  });
});
