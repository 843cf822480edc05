import type { XY } from './chart-base';

/** A one-line text description of a chart's series, for screen readers (canvas has no text). */
export function describeSeries(title: string, series: readonly { label: string; points: readonly XY[] }[]): string {
  const parts = series.map((s) => {
    const last = s.points[s.points.length - 1];
    return last ? `${s.label}: ${s.points.length} points, last ${Number(last.y.toPrecision(3))}` : `${s.label}: no data`;
  });
  return parts.length ? `${title}. ${parts.join('; ')}.` : `${title}: no data.`;
}

/** A one-line text description listing a chart's items, the first `shown` of them by name. */
export function describeItems(title: string, items: readonly string[], shown = 12): string {
  if (!items.length) return `${title}: no data.`;
  const more = items.length > shown ? `, and ${items.length - shown} more` : '';
  return `${title}: ${items.slice(0, shown).join(', ')}${more}.`;
}

/** A one-line text description of a bar chart: its non-empty bars with their values. */
export function describeBars(title: string, labels: readonly string[], values: readonly number[]): string {
  return describeItems(
    title,
    labels.flatMap((name, i) => (values[i] ? [`${name} ${values[i]}`] : [])),
  );
}
