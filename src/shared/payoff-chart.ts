import type { Payoff } from './api/workflows';

/*
 * What the "train small vs train large" chart draws, for the UI's chart.js chart and the HTML
 * report's SVG alike: one labelled point per payoff row at (training time, top-1) with its 95 %
 * interval, its dot's area proportional to the row's peak memory.
 */

/** One model of the payoff chart. */
export interface PayoffChartPoint {
  /** The row's label and its peak memory ("trained at 16, tested at 16 · 412 MB"). */
  label: string;
  /** Training time in seconds (a fine-tuned row: the small run's plus its fine-tune's). */
  x: number;
  /** Where the point is drawn: x, moved a little apart from points of the same training time so their bars do not hide each other. */
  drawX: number;
  /** Top-1 on the reporting images, and its Wilson 95 % interval. */
  y: number;
  lo: number;
  hi: number;
  memoryMb: number | null;
  /** Dot radius in px: area ∝ peak memory (the smallest radius where memory is unknown). */
  radius: number;
}

/** The chart's title, axis titles and caption (the caption says how memory is drawn). */
export const PAYOFF_CHART_TEXT = {
  title: 'Top-1 (95 % interval) against training time',
  xLabel: 'training time (s)',
  yLabel: 'top-1',
  caption:
    'One point per model: bars are 95 % (Wilson) intervals; a dot’s area is proportional to its peak memory (MB in the legend).',
} as const;

/** Dot radii in px: the model with the most memory gets `max`; none is drawn smaller than `min`. */
export const PAYOFF_RADIUS = { min: 3, max: 9 } as const;

/** Share of the x range between two points of the same training time (one run tested at two sizes). */
export const PAYOFF_DODGE = 0.03;

/** The payoff table's rows as chart points, in the table's order. */
export function payoffChartPoints(payoff: Payoff): PayoffChartPoint[] {
  const peak = Math.max(0, ...payoff.rows.map((r) => r.peakRssMb ?? 0));
  const times = payoff.rows.map((r) => r.trainSeconds);
  const step = PAYOFF_DODGE * (Math.max(...times) - Math.min(...times) || Math.max(...times, 1));
  return payoff.rows.map((r, i) => {
    const same = times.filter((t) => t === r.trainSeconds).length;
    const rank = times.slice(0, i).filter((t) => t === r.trainSeconds).length;
    const memoryMb = r.peakRssMb && r.peakRssMb > 0 ? r.peakRssMb : null;
    const radius =
      memoryMb && peak > 0 ? Math.max(PAYOFF_RADIUS.min, PAYOFF_RADIUS.max * Math.sqrt(memoryMb / peak)) : PAYOFF_RADIUS.min;
    return {
      label: `${r.label} · ${memoryMb ? `${Math.round(memoryMb)} MB` : 'memory not measured'}`,
      x: r.trainSeconds,
      drawX: r.trainSeconds + (rank - (same - 1) / 2) * step,
      y: r.reported.top1,
      lo: r.reported.ci95[0],
      hi: r.reported.ci95[1],
      memoryMb,
      radius,
    };
  });
}

/**
 * A y range (fractions) that holds every interval, within [0, 1], its ends on a round step (5, 10
 * or 20 points as the span needs) so the axis ticks land on them.
 */
export function payoffYRange(points: readonly PayoffChartPoint[]): [number, number] {
  if (!points.length) return [0, 1];
  const lo = Math.min(...points.map((p) => p.lo));
  const hi = Math.max(...points.map((p) => p.hi));
  const step = hi - lo <= 0.3 ? 0.05 : hi - lo <= 0.6 ? 0.1 : 0.2;
  const snap = (v: number, round: (x: number) => number) => Number((round(Number((v / step).toFixed(9))) * step).toFixed(9));
  const bottom = Math.max(0, snap(lo, Math.floor));
  return [bottom, Math.min(1, Math.max(snap(hi, Math.ceil), bottom + step))];
}
