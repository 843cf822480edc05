import { Chart } from 'chart.js';
import { describe, expect, it } from 'vitest';
import type { XY } from '../../src/renderer/src/components/charts/chart-base';
import { DECIMATION, lineChartSetup, type LineChartProps } from '../../src/renderer/src/components/charts/line-chart-config';
import type { ThemeColors } from '../../src/renderer/src/lib/theme';

const colors: ThemeColors = {
  accent: '#3b6fd8',
  muted: '#6b7280',
  grid: '#e5e7eb',
  text: '#111827',
  surface: '#ffffff',
  danger: '#c93a3a',
  ok: '#2a8a4a',
  warn: '#b7791f',
  sequential: ['#f59f00', '#3b1f8f'],
  series: ['#3b6fd8', '#e8590c'],
};

/**
 * A canvas whose 2D context accepts every drawing call and draws nothing: chart.js runs its whole
 * update (plugins included) on Node's platform without a real canvas.
 */
function headlessCanvas(width: number, height: number): HTMLCanvasElement {
  const state: Record<string | symbol, unknown> = {};
  const context = new Proxy(state, {
    get: (target, key) => (key in target ? target[key] : key === 'measureText' ? () => ({ width: 6 }) : () => undefined),
    set: (target, key, value) => ((target[key] = value), true),
  });
  const canvas = { width, height, style: {}, getContext: () => context };
  state.canvas = canvas;
  return canvas as unknown as HTMLCanvasElement;
}

/** A line chart set up and redrawn exactly as the LineChart component does it, on a headless canvas. */
function drawnLineChart(props: LineChartProps): { chart: Chart<'line'>; redraw: () => void } {
  const setup = lineChartSetup(() => props);
  const config = setup.build(colors);
  const chart = new Chart(headlessCanvas(800, 300), { ...config, options: { ...config.options, responsive: false } });
  const redraw = () => {
    setup.apply(chart, colors);
    chart.update('none');
  };
  redraw();
  return { chart, redraw };
}

const wave = (from: number, to: number): XY[] =>
  Array.from({ length: to - from }, (_, i) => ({ x: from + i, y: 1 + Math.sin((from + i) / 50) }));
const decimatedOf = (chart: Chart<'line'>) => (chart.data.datasets[0] as unknown as { _decimated?: XY[] })._decimated;

describe('line charts', () => {
  it('draws a long live series through chart.js decimation, at most 600 points, following points appended in place', () => {
    const points = wave(0, 20_000);
    const { chart, redraw } = drawnLineChart({ series: [{ label: 'loss', points }], x: {}, y: {}, markers: [] });
    try {
      expect(decimatedOf(chart)?.length).toBe(DECIMATION.samples);
      expect(chart.getDatasetMeta(0).data.length).toBe(DECIMATION.samples);
      expect(decimatedOf(chart)![0]).toBe(points[0]);
      expect(decimatedOf(chart)!.at(-1)).toBe(points[19_999]);

      points.push(...wave(20_000, 30_000));
      redraw();
      expect(chart.getDatasetMeta(0).data.length).toBe(DECIMATION.samples);
      expect(decimatedOf(chart)!.at(-1)).toBe(points[29_999]);
    } finally {
      chart.destroy();
    }
  });

  it('draws every point of a series below the decimation threshold', () => {
    const points = wave(0, 1000);
    const { chart } = drawnLineChart({ series: [{ label: 'loss', points }], x: {}, y: {}, markers: [] });
    try {
      expect(decimatedOf(chart)).toBeUndefined();
      expect(chart.getDatasetMeta(0).data.length).toBe(1000);
    } finally {
      chart.destroy();
    }
  });
});
