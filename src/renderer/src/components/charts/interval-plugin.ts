import type { Chart, Plugin } from 'chart.js';

/** A vertical 95 % interval through point `index` of dataset `dataset`, in data units. */
export interface IntervalBar {
  dataset: number;
  index: number;
  lo: number;
  hi: number;
  color: string;
}

declare module 'chart.js' {
  // chart.js declares this interface generic; a merged declaration must repeat its type parameter.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType> {
    intervals?: { items: IntervalBar[] };
  }
}

/** Half the width of a bar's end caps, in px. */
const CAP_PX = 4;

/** Draws each point's interval as a vertical bar with end caps, under the dots (chart.js has no error bars). */
export const intervalPlugin: Plugin = {
  id: 'intervals',
  beforeDatasetsDraw(chart: Chart, _args, options: { items?: IntervalBar[] }) {
    const { x: xScale, y: yScale } = chart.scales;
    const items = options.items ?? [];
    if (!xScale || !yScale || !items.length) return;
    const { ctx } = chart;
    ctx.save();
    ctx.lineWidth = 1.5;
    for (const bar of items) {
      if (!chart.isDatasetVisible(bar.dataset)) continue;
      const point = chart.data.datasets[bar.dataset]?.data[bar.index] as { x: number } | undefined;
      if (!point) continue;
      const px = xScale.getPixelForValue(point.x);
      const [top, bottom] = [yScale.getPixelForValue(bar.hi), yScale.getPixelForValue(bar.lo)];
      ctx.strokeStyle = bar.color;
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, bottom);
      for (const y of [top, bottom]) {
        ctx.moveTo(px - CAP_PX, y);
        ctx.lineTo(px + CAP_PX, y);
      }
      ctx.stroke();
    }
    ctx.restore();
  },
};
