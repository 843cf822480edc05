import { describe, expect, it } from 'vitest';
import { mcnemarExact, wilsonInterval } from '../../../src/core/stats';
import { accuracyOn, gainBetween, protocolFor, type MeasuredPoint } from '../../../src/lab/sweeps/point-statistics';
import { gainInterval } from '../../../src/shared/gain-interval';
import { resolutionChart } from '../../../src/lab/sweeps/sweep-views';
import { saveSweepPoint } from '../../../src/store/analysis';
import { openDatabase } from '../../../src/store/db';
import { savePointImages, type PointImages } from '../../../src/store/point-images';
import { insertRun } from '../../../src/store/runs';
import { frozenRunConfig } from '../../helpers/frozen-config';

/** 20 images: the even ones are the selection half. */
const SELECTION = Uint8Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1 : 0));
const right = (...indices: number[]) => Uint8Array.from({ length: 20 }, (_, i) => (indices.includes(i) ? 1 : 0));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

function measured(kTest: number, correct: Uint8Array, key = 'k'): MeasuredPoint {
  const n = correct.length;
  const top1 = correct.reduce((s, c) => s + c, 0) / n;
  const point = {
    runId: 1,
    sweepId: null,
    kTest,
    adapter: 'none' as const,
    top1,
    top5: null,
    loss: null,
    n,
    seconds: null,
    imgPerSec: null,
  };
  return { point, images: { runId: 1, kTest, adapter: 'none', imagesKey: key, correct, selection: SELECTION } };
}

describe('point statistics', () => {
  it('scores a point on all images, the selection half and the held-out half, each with its Wilson interval', () => {
    const m = measured(8, right(0, 2, 4, 1));
    expect(accuracyOn(m, 'all')).toEqual({ top1: 4 / 20, n: 20, ci95: wilsonInterval(4, 20) });
    expect(accuracyOn(m, 'selection')).toEqual({ top1: 3 / 10, n: 10, ci95: wilsonInterval(3, 10) });
    expect(accuracyOn(m, 'held-out')).toEqual({ top1: 1 / 10, n: 10, ci95: wilsonInterval(1, 10) });
    expect(accuracyOn({ point: m.point, images: null }, 'held-out')).toBeNull();
    expect(accuracyOn({ point: m.point, images: null }, 'all')!.ci95).toEqual(wilsonInterval(4, 20));
  });

  it('tests a gain pair by pair on the chosen half, and not at all across different image lists', () => {
    const first = measured(8, right(0, 1, 2, 3));
    const second = measured(12, right(...range(0, 20)));
    const g = gainBetween(first, second, 'held-out')!;
    // Held-out images 1, 3 were right in both; 5, 7, …, 19 (8 images) only in the second.
    expect(g).toMatchObject({ n: 10, onlyFirst: 0, onlySecond: 8, images: 'held-out', withinNoise: false });
    expect(g.gain).toBeCloseTo(0.8, 12);
    expect(g.pValue).toBe(mcnemarExact(0, 8).pValue);
    // Its 95 % interval is the one the UI, the report and the CLI write, and excludes 0 as p < 0.05 says.
    expect(g.ci95).toEqual(gainInterval({ onlyFirst: 0, onlySecond: 8, n: 10 }));
    expect(g.ci95[0]).toBeGreaterThan(0);
    expect(g.ci95[1]).toBeGreaterThanOrEqual(g.gain);
    expect(gainBetween(first, measured(12, right(1), 'other'), 'all')).toBeNull();
    expect(protocolFor([first, second])).toEqual({ pickOn: 'selection', reportOn: 'held-out' });
    expect(protocolFor([first, { ...second, images: null }])).toEqual({ pickOn: 'all', reportOn: 'all' });
  });
});

describe('resolutionChart', () => {
  it('picks the best K_test on the selection half and reports it on the held-out half, with McNemar against K_train', () => {
    const { db } = openDatabase(':memory:');
    insertRun(db, {
      kind: 'train',
      name: 'r',
      parentId: null,
      datasetId: null,
      config: frozenRunConfig({ kTrain: 8, cropPct: 0.875 }),
      checkpointDir: () => '/tmp/x',
    });
    const points: [number, Uint8Array][] = [
      [8, right(0, 2, 4, 6, 1, 3, 5, 7)], // selection 4/10, held-out 4/10
      [12, right(0, 2, 4, 6, 8, 10, 1, 3)], // selection 6/10 (the pick), held-out 2/10
      [16, right(0, 2, 4, 6, 8, ...range(9, 20).filter((i) => i % 2 === 1))], // selection 5/10, held-out 6/10: best on all images
    ];
    for (const [kTest, correct] of points) {
      const m = measured(kTest, correct);
      saveSweepPoint(db, { runId: 1, kTest, adapter: 'none', top1: m.point.top1, top5: null, loss: null, n: 20 });
      savePointImages(db, m.images as PointImages);
    }
    const chart = resolutionChart(db, 1);
    expect(chart.best).toMatchObject({
      kTest: 12,
      pickedOn: 'selection',
      reportedOn: 'held-out',
      reported: { top1: 0.2, n: 10 },
    });
    expect(chart.atKTrain).toMatchObject({ top1: 8 / 20, reported: { top1: 0.4, n: 10 } });
    expect(chart.gain).toMatchObject({ images: 'held-out', onlyFirst: 2, onlySecond: 0, withinNoise: true });
    expect(chart.gain!.gain).toBeCloseTo(-0.2, 12);
    expect(chart.series[0]!.points.map((p) => p.ci95)).toEqual(
      points.map(([, c]) =>
        wilsonInterval(
          c.reduce((s, x) => s + x, 0),
          20,
        ),
      ),
    );
    expect(chart.warnings.join(' ')).toMatch(/cannot show a 1-point gain/);
  });
});
