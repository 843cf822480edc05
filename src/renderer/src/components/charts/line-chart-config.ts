import type { Chart, ChartConfiguration } from 'chart.js';
import { mix, type ThemeColors } from '../../lib/theme';
import { axis, baseOptions, resolveMarkers, type AxisSpec, type XY } from './chart-base';
import { markerPadding, type Marker } from './marker-plugin';

/** A chart.js marker shape. */
export type PointShape = 'circle' | 'rect' | 'triangle' | 'rectRot' | 'rectRounded' | 'star' | 'crossRot';

/** One line: plain points, a palette slot and a style. */
export interface LineSeries {
  label: string;
  points: readonly XY[];
  /** Index into the theme's series colours (default: the series' position). */
  color?: number;
  /** A position 0…1 in the sequential palette instead (overrides `color`). */
  shade?: number;
  dashed?: boolean;
  /** Draw without point dots (dense curves such as CDFs). */
  noPoints?: boolean;
  /** Marker shape (default circle); any series with one puts the shapes in the legend too. */
  pointShape?: PointShape;
  /** Marker radius in px (default 2.5). */
  pointRadius?: number;
  /** Line width in px (default 2). */
  lineWidth?: number;
  /** Leave out of the legend (e.g. a fit drawn in its data's colour). */
  unlisted?: boolean;
}

/** What a line chart draws (the LineChart component's props). */
export interface LineChartProps {
  series: readonly LineSeries[];
  x: AxisSpec;
  y: AxisSpec;
  markers: readonly Marker[];
}

/**
 * Long series are thinned with LTTB by chart.js itself, so live runs stay smooth. The plugin does
 * nothing unless parsing is off, the x axis is linear and the data are {x, y} objects.
 */
export const DECIMATION = { enabled: true, algorithm: 'lttb' as const, samples: 600, threshold: 1200 };
const POINTS_SHOWN_BELOW = 40;

/** The chart.js setup of a line chart: `build` makes the config, `apply` pushes the current props into it. */
export function lineChartSetup(props: () => LineChartProps): {
  build: (colors: ThemeColors) => ChartConfiguration<'line'>;
  apply: (chart: Chart<'line'>, colors: ThemeColors) => void;
} {
  return {
    build: (colors) => ({
      type: 'line',
      data: { datasets: [] },
      options: {
        ...baseOptions(colors),
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          ...baseOptions(colors).plugins,
          decimation: DECIMATION,
          legend: {
            ...baseOptions(colors).plugins.legend,
            labels: {
              ...baseOptions(colors).plugins.legend.labels,
              filter: (item) => !props().series[item.datasetIndex ?? -1]?.unlisted,
            },
          },
        },
      },
    }),
    apply: (chart, colors) => {
      const { series, x, y, markers } = props();
      chart.data.datasets = series.map((s, i) => {
        const color =
          s.shade !== undefined
            ? mix(colors.sequential[0], colors.sequential[1], s.shade)
            : colors.series[(s.color ?? i) % colors.series.length]!;
        return {
          label: s.label,
          // The caller's array itself: live series grow in place and chart.js follows (decimating on its own copy).
          data: s.points as XY[],
          borderColor: color,
          backgroundColor: color,
          borderWidth: s.lineWidth ?? 2,
          borderDash: s.dashed ? [6, 4] : [],
          pointStyle: s.pointShape ?? 'circle',
          pointRadius: !s.noPoints && s.points.length < POINTS_SHOWN_BELOW ? (s.pointRadius ?? 2.5) : 0,
          pointHoverRadius: (s.pointRadius ?? 2.5) + 1.5,
        };
      });
      chart.options.scales = { x: axis(colors, x), y: axis(colors, y) };
      chart.options.plugins!.legend!.labels!.usePointStyle = series.some((s) => s.pointShape);
      // Marker labels sit in a band above the plot: the legend moves below it, out of their way.
      chart.options.layout = { padding: { right: 10, top: markerPadding(markers.length) } };
      chart.options.plugins!.legend!.position = markers.length ? 'bottom' : 'top';
      chart.options.plugins!.markers = {
        items: resolveMarkers(markers, colors),
        font: '11px system-ui, sans-serif',
        background: colors.surface,
      };
    },
  };
}
