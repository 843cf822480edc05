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

/** Height of one row of marker labels (11 px text and its halo). */
export const MARKER_ROW_PX = 13;
const MAX_ROWS = 3;

/** Padding above the plot that keeps `count` markers' labels off the data (0 without markers). */
export function markerPadding(count: number): number {
  return count ? 4 + Math.min(MAX_ROWS, count) * MARKER_ROW_PX : 4;
}

/**
 * Where each marker's label goes, above the plot area (in the padding markerPadding reserves), so
 * labels never cover bars or lines: beside its line, flipped left near the right edge, in the first
 * row where it overlaps no other label (the last row when none is free).
 */
export function layoutMarkerLabels(
  labels: readonly { px: number; width: number }[],
  area: { left: number; right: number; top: number },
): { x: number; y: number }[] {
  const rows = Math.min(MAX_ROWS, labels.length);
  const taken: [number, number][][] = Array.from({ length: rows }, () => []);
  return labels.map(({ px, width }) => {
    const x = px + 4 + width > area.right ? px - 4 - width : px + 4;
    const free = taken.findIndex((spans) => spans.every(([a, b]) => x + width + 6 <= a || x >= b + 6));
    const row = free < 0 ? rows - 1 : free;
    taken[row]!.push([x, x + width]);
    return { x, y: area.top - (rows - row) * MARKER_ROW_PX };
  });
}

/** Draws vertical marker lines after the datasets, inside the chart area, with their labels above it. */
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
    const visible = items
      .map((m) => ({ m, px: x.getPixelForValue(m.x) }))
      .filter(({ px }) => Number.isFinite(px) && px >= chartArea.left - 1 && px <= chartArea.right + 1);
    const places = layoutMarkerLabels(
      visible.map(({ m, px }) => ({ px, width: ctx.measureText(m.label).width })),
      chartArea,
    );
    visible.forEach(({ m, px }, i) => {
      ctx.strokeStyle = m.color;
      ctx.fillStyle = m.color;
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      const { x: left, y: top } = places[i]!;
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
