import type { LineSeries, PointShape } from '../components/charts/LineChart.svelte';

const SHAPES: readonly PointShape[] = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot'];

/**
 * Marker shape, marker size and line width of the i-th of several overlaid series. Overlaid series
 * often hold equal values (a fine-tune that changed nothing, two runs at the same accuracy) and
 * chart.js paints the first series on top: each later one gets its own shape and is drawn a little
 * larger and wider, so it shows as a ring and an edge around an equal series instead of vanishing.
 */
export function overlaidStyle(index: number): Pick<LineSeries, 'pointShape' | 'pointRadius' | 'lineWidth'> {
  return { pointShape: SHAPES[index % SHAPES.length], pointRadius: 3 + 1.5 * index, lineWidth: 2 + index };
}
