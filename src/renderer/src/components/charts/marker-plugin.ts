import type { Chart, Plugin } from 'chart.js';

/** A vertical line at an x value, labelled at the top (K_train, K_test*, α …). */
export interface Marker {
  x: number;
  label: string;
  /** A theme colour name; default the muted text colour. */
  tone?: 'accent' | 'warn' | 'ok' | 'danger' | 'muted';
}

/** A marker with its colour resolved (what the plugin draws). */
export interface ResolvedMarker {
  x: number;
  label: string;
  color: string;
}

declare module 'chart.js' {
  // chart.js declares this interface generic; a merged declaration must repeat its type parameter.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType> {
    markers?: { items: ResolvedMarker[]; font: string; background?: string };
  }
}

/** Draws vertical marker lines after the datasets, inside the chart area. */
export const markerPlugin: Plugin = {
  id: 'markers',
  afterDatasetsDraw(chart: Chart, _args, options: { items?: ResolvedMarker[]; font?: string; background?: string }) {
    const items = options.items ?? [];
    const x = chart.scales.x;
    if (!x || !items.length) return;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.setLineDash([5, 4]);
    ctx.lineWidth = 1.5;
    ctx.font = options.font ?? '11px sans-serif';
    ctx.textBaseline = 'top';
    items.forEach((m, i) => {
      const px = x.getPixelForValue(m.x);
      if (!Number.isFinite(px) || px < chartArea.left - 1 || px > chartArea.right + 1) return;
      ctx.strokeStyle = m.color;
      ctx.fillStyle = m.color;
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      // Labels step down so neighbouring markers stay readable; flip left near the right edge.
      const width = ctx.measureText(m.label).width;
      const left = px + 4 + width > chartArea.right ? px - 4 - width : px + 4;
      const top = chartArea.top + 2 + (i % 3) * 13;
      // A halo in the card's colour keeps the label readable over lines and bars without hiding the data between glyphs.
      if (options.background) {
        ctx.save();
        ctx.setLineDash([]);
        ctx.lineWidth = 3;
        ctx.lineJoin = 'round';
        ctx.strokeStyle = options.background;
        ctx.strokeText(m.label, left, top);
        ctx.restore();
      }
      ctx.fillText(m.label, left, top);
    });
    ctx.restore();
  },
};
