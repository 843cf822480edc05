import {
  BarController,
  BarElement,
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type ScaleOptions,
} from 'chart.js';
import { onThemeChange, themeColors, type ThemeColors } from '../../lib/theme';
import { intervalPlugin } from './interval-plugin';
import { markerPlugin, type Marker, type ResolvedMarker } from './marker-plugin';
import { percentTick, tickStep } from './ticks';

Chart.register(
  BarController,
  BarElement,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  markerPlugin,
  intervalPlugin,
);

/** A point of a numeric series (charts take plain arrays of these). */
export interface XY {
  x: number;
  y: number;
}

export interface AxisSpec {
  title?: string;
  log?: boolean;
  min?: number;
  max?: number;
  /** Tick label formatter. */
  format?: (value: number) => string;
  /** Values are fractions shown as percentages, with as many decimals as the tick step needs (overrides `format`). */
  percent?: boolean;
}

/** A numeric axis styled with the theme. */
export function axis(colors: ThemeColors, spec: AxisSpec = {}): ScaleOptions<'linear' | 'logarithmic'> {
  return {
    type: spec.log ? 'logarithmic' : 'linear',
    min: spec.min,
    max: spec.max,
    title: { display: Boolean(spec.title), text: spec.title ?? '', color: colors.muted },
    ticks: {
      color: colors.muted,
      maxTicksLimit: 8,
      ...(spec.percent
        ? { callback: (v: number | string, _i: number, ticks: { value: number }[]) => percentTick(Number(v), tickStep(ticks)) }
        : spec.format
          ? { callback: (v: number | string) => spec.format!(Number(v)) }
          : {}),
    },
    grid: { color: colors.grid },
    border: { color: colors.grid },
  };
}

/** Options every chart shares: no animation (live data), themed legend and tooltips. */
export function baseOptions(colors: ThemeColors) {
  return {
    animation: false as const,
    maintainAspectRatio: false,
    responsive: true,
    // Room for points and labels that sit on the last tick.
    layout: { padding: { right: 10, top: 4 } },
    plugins: {
      legend: { labels: { color: colors.text, boxWidth: 12, boxHeight: 12 } },
      tooltip: { enabled: true },
    },
  };
}

/** Resolves marker tones to theme colours for the marker plugin. */
export function resolveMarkers(markers: readonly Marker[], colors: ThemeColors): ResolvedMarker[] {
  return markers.map((m) => ({ x: m.x, label: m.label, color: colors[m.tone ?? 'muted'] }));
}

/**
 * One chart.js instance behind a component: created on mount, rebuilt when the OS theme flips,
 * updated in place (no animation) when the component's props change, destroyed on unmount.
 */
export class ChartHandle<T extends ChartType> {
  #chart: Chart<T> | null = null;
  #canvas: HTMLCanvasElement | null = null;
  #colors: ThemeColors | null = null;
  #frame: number | null = null;
  #build: (colors: ThemeColors) => ChartConfiguration<T>;
  #apply: (chart: Chart<T>, colors: ThemeColors) => void;

  constructor(options: {
    build: (colors: ThemeColors) => ChartConfiguration<T>;
    apply: (chart: Chart<T>, colors: ThemeColors) => void;
  }) {
    this.#build = options.build;
    this.#apply = options.apply;
  }

  /** Creates the chart on a canvas; returns the teardown. */
  mount(canvas: HTMLCanvasElement): () => void {
    this.#canvas = canvas;
    this.#create();
    const stopTheme = onThemeChange(() => {
      this.#chart?.destroy();
      this.#create();
    });
    return () => {
      stopTheme();
      if (this.#frame !== null) cancelAnimationFrame(this.#frame);
      this.#frame = null;
      this.#chart?.destroy();
      this.#chart = null;
    };
  }

  /** Pushes the current props into the chart now. */
  update(): void {
    if (!this.#chart || !this.#colors) return;
    this.#apply(this.#chart, this.#colors);
    this.#chart.update('none');
  }

  /**
   * Pushes the props at the next animation frame, once however many changes come before it: a live
   * series growing by many events redraws at most once per frame.
   */
  updateSoon(): void {
    if (this.#frame !== null) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = null;
      this.update();
    });
  }

  #create(): void {
    if (!this.#canvas) return;
    this.#colors = themeColors();
    this.#chart = new Chart(this.#canvas, this.#build(this.#colors));
    this.update();
  }
}
