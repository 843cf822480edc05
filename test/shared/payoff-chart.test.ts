import { describe, expect, it } from 'vitest';
import type { Payoff, PayoffRow } from '../../src/shared/api/workflows';
import { PAYOFF_RADIUS, payoffChartPoints, payoffYRange } from '../../src/shared/payoff-chart';

const row = (label: string, top1: number, ci95: [number, number], trainSeconds: number, peakRssMb: number | null): PayoffRow => ({
  label,
  runId: 1,
  kTrain: 16,
  kTest: 16,
  reported: { top1, n: 200, ci95 },
  trainSeconds,
  peakRssMb,
  trainImgPerSec: null,
});

const payoff: Payoff = {
  kSmall: 16,
  kLarge: 28,
  rows: [
    row('trained at 16, tested at 16', 0.5, [0.43, 0.57], 60, 100),
    row('trained at 16, fine-tuned and tested at 28', 0.62, [0.55, 0.68], 75, 400),
    row('trained at 28, tested at 28', 0.6, [0.53, 0.66], 180, null),
  ],
  smallFinetunedVsLarge: null,
  smallTestedVsLarge: null,
};

describe('the payoff chart’s points', () => {
  it('puts each row at its training time and top-1, with its interval, labelled with its peak memory', () => {
    const points = payoffChartPoints(payoff);
    expect(points.map((p) => [p.x, p.y, p.lo, p.hi])).toEqual([
      [60, 0.5, 0.43, 0.57],
      [75, 0.62, 0.55, 0.68],
      [180, 0.6, 0.53, 0.66],
    ]);
    expect(points.map((p) => p.label)).toEqual([
      'trained at 16, tested at 16 · 100 MB',
      'trained at 16, fine-tuned and tested at 28 · 400 MB',
      'trained at 28, tested at 28 · memory not measured',
    ]);
  });

  it('draws points of the same training time (one run tested at two sizes) a little apart, the others where they are', () => {
    const rows = [payoff.rows[0]!, { ...payoff.rows[0]!, label: 'same run, best K_test' }, payoff.rows[2]!];
    const points = payoffChartPoints({ ...payoff, rows });
    // 3 % of the 60 … 180 s range between the two (3.6 s): 1.8 s each side of 60 s.
    expect(points.map((p) => p.x)).toEqual([60, 60, 180]);
    expect(points[0]!.drawX).toBeCloseTo(58.2, 12);
    expect(points[1]!.drawX).toBeCloseTo(61.8, 12);
    expect(points[2]!.drawX).toBe(180);
  });

  it('sizes each dot so its area is proportional to peak memory, the largest at the maximum radius', () => {
    const [small, large, unknown] = payoffChartPoints(payoff);
    expect(large!.radius).toBe(PAYOFF_RADIUS.max);
    // A quarter of the memory: half the radius (a quarter of the area).
    expect(small!.radius).toBeCloseTo(PAYOFF_RADIUS.max / 2, 12);
    expect(unknown!.radius).toBe(PAYOFF_RADIUS.min);
    const tiny = payoffChartPoints({ ...payoff, rows: [payoff.rows[1]!, row('tiny', 0.1, [0.05, 0.2], 1, 1)] });
    expect(tiny[1]!.radius).toBe(PAYOFF_RADIUS.min);
  });

  it('ranges the y axis over every interval, within 0 and 1', () => {
    const [lo, hi] = payoffYRange(payoffChartPoints(payoff));
    expect(lo).toBeLessThan(0.43);
    expect(hi).toBeGreaterThan(0.68);
    expect(payoffYRange(payoffChartPoints(payoff))).toEqual([0.4, 0.7]);
    expect(payoffYRange(payoffChartPoints({ ...payoff, rows: [row('all right', 1, [0.98, 1], 5, 50)] }))).toEqual([0.95, 1]);
    expect(payoffYRange(payoffChartPoints({ ...payoff, rows: [row('none right', 0, [0, 0], 5, 50)] }))).toEqual([0, 0.05]);
    // A wide span goes by 20 points, so the ticks (0, 20, … %) end on the range's ends.
    expect(payoffYRange(payoffChartPoints({ ...payoff, rows: [row('wide', 0.5, [0.046, 0.85], 5, 50)] }))).toEqual([0, 1]);
    expect(payoffYRange([])).toEqual([0, 1]);
  });
});
