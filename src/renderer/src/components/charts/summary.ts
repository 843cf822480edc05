import type { XY } from './chart-base';

/** A one-line text description of a chart's series, for screen readers (canvas has no text). */
export function describeSeries(title: string, series: readonly { label: string; points: readonly XY[] }[]): string {
  const parts = series.map((s) => {
    const last = s.points[s.points.length - 1];
    return last ? `${s.label}: ${s.points.length} points, last ${Number(last.y.toPrecision(3))}` : `${s.label}: no data`;
  });
  return parts.length ? `${title}. ${parts.join('; ')}.` : `${title}: no data.`;
}
