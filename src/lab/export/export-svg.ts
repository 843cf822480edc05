/**
 * One curve of a chart: points in data units, drawn as a polyline with dots (each dot titled for
 * a native tooltip); a point with `lo`/`hi` gets a vertical bar (a 95 % interval).
 */
export interface SvgSeries {
  label: string;
  points: { x: number; y: number; lo?: number; hi?: number }[];
  color: string;
  dashed?: boolean;
  /** Draw dots on the points (default true). */
  dots?: boolean;
  /** Join the points with a line (default true). */
  line?: boolean;
  /** Dot radius in px (default 3). */
  dotRadius?: number;
}

export interface SvgLineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: SvgSeries[];
  /** Vertical reference lines, e.g. K_train and K_test*. */
  markers?: { x: number; label: string }[];
  yFormat?: (y: number) => string;
  xFormat?: (x: number) => string;
  yRange?: [number, number];
  /** The x axis' ends (default: the data's, padded). */
  xRange?: [number, number];
  /** Only whole-number ticks on the x axis (epochs, pixels). */
  integerX?: boolean;
  width?: number;
  height?: number;
}

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#000000'];
const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

/** A colour along viridis for item i of n (ordered quantities such as K_test). */
export function sequentialColor(i: number, n: number): string {
  const t = n <= 1 ? 0.5 : (i / (n - 1)) * 0.92;
  const pos = t * (VIRIDIS.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(VIRIDIS.length - 1, lo + 1);
  const mix = (a: string, b: string, f: number) =>
    [1, 3, 5].map((o) => Math.round(parseInt(a.slice(o, o + 2), 16) * (1 - f) + parseInt(b.slice(o, o + 2), 16) * f));
  return `#${mix(VIRIDIS[lo]!, VIRIDIS[hi]!, pos - lo)
    .map((v) => v.toString(16).padStart(2, '0'))
    .join('')}`;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k, about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const MARGIN = { top: 30, right: 18, bottom: 46, left: 60 };
const LEGEND_ROW = 18;
/** Width of one character of the 11-px sans-serif labels, generous so estimated text never overlaps. */
const CHAR_W = 6.2;
/** Legend swatch (22 px line + 6 px gap) and the space kept between two legend entries. */
const SWATCH_W = 28;
const LEGEND_GAP = 8;

/** Legend columns: up to 3, fewer when the longest label would run into the next column. */
export function legendColumns(labels: string[], plotW: number): number {
  const widest = Math.max(0, ...labels.map((l) => SWATCH_W + l.length * CHAR_W + LEGEND_GAP));
  return Math.max(1, Math.min(3, labels.length, Math.floor(plotW / Math.max(widest, 1))));
}

/** The text row (0, 1, …) of each marker label: a label that would overlap the previous one on its row moves down. */
export function markerRows(markers: { px: number; label: string }[]): number[] {
  const rowEnds: number[] = [];
  return markers.map((m) => {
    let row = rowEnds.findIndex((end) => m.px >= end);
    if (row === -1) row = rowEnds.length;
    rowEnds[row] = m.px + 3 + m.label.length * CHAR_W + 4;
    return row;
  });
}

/** A self-contained SVG line chart (axes, ticks, grid, legend, markers); no script, no external references. */
export function lineChartSvg(chart: SvgLineChart): string {
  const width = chart.width ?? 680;
  const plotW = width - MARGIN.left - MARGIN.right;
  const columns = legendColumns(
    chart.series.map((s) => s.label),
    plotW,
  );
  const legendRows = Math.ceil(chart.series.length / columns);
  const height = (chart.height ?? 340) + legendRows * LEGEND_ROW;
  const plotH = height - MARGIN.top - MARGIN.bottom - legendRows * LEGEND_ROW;
  const all = chart.series.flatMap((s) => s.points);
  const xs = [...all.map((p) => p.x), ...(chart.markers ?? []).map((m) => m.x)];
  const [xLo, xHi] = chart.xRange ?? (xs.length ? widen(Math.min(...xs), Math.max(...xs)) : [0, 1]);
  const ys = all.flatMap((p) => [p.y, p.lo ?? p.y, p.hi ?? p.y]);
  const [yLo, yHi] = chart.yRange ?? (ys.length ? widen(Math.min(...ys), Math.max(...ys)) : [0, 1]);
  const sx = (x: number) => MARGIN.left + ((x - xLo) / (xHi - xLo)) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - ((y - yLo) / (yHi - yLo)) * plotH;
  const fx = chart.xFormat ?? ((x: number) => String(x));
  const fy = chart.yFormat ?? ((y: number) => String(y));
  const parts: string[] = [];
  parts.push(`<text x="${width / 2}" y="18" text-anchor="middle" class="t">${escapeXml(chart.title)}</text>`);
  for (const t of niceTicks(yLo, yHi)) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" class="g"/>`,
    );
    parts.push(`<text x="${MARGIN.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${escapeXml(fy(t))}</text>`);
  }
  for (const t of niceTicks(xLo, xHi, 8).filter((v) => !chart.integerX || Number.isInteger(v))) {
    parts.push(
      `<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" class="a"/>`,
    );
    parts.push(`<text x="${sx(t).toFixed(1)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${escapeXml(fx(t))}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" class="f"/>`);
  const markers = [...(chart.markers ?? [])].sort((a, b) => a.x - b.x).map((m) => ({ ...m, px: sx(m.x) }));
  const rows = markerRows(markers);
  markers.forEach((m, i) => {
    const x = m.px.toFixed(1);
    const y = MARGIN.top + 12 + rows[i]! * 13;
    parts.push(`<line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" class="m"/>`);
    parts.push(`<text x="${x}" y="${y}" text-anchor="start" dx="3" class="ml">${escapeXml(m.label)}</text>`);
  });
  for (const s of chart.series) {
    const points = [...s.points].sort((a, b) => a.x - b.x);
    const path = points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
    if (s.line !== false)
      parts.push(
        `<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      );
    for (const p of points.filter((q) => q.lo !== undefined && q.hi !== undefined)) {
      const x = sx(p.x).toFixed(1);
      const [top, bottom] = [sy(p.hi!).toFixed(1), sy(p.lo!).toFixed(1)];
      parts.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${bottom}" stroke="${s.color}" stroke-width="1.2" opacity="0.7"/>`);
      for (const y of [top, bottom])
        parts.push(
          `<line x1="${(sx(p.x) - 3).toFixed(1)}" x2="${(sx(p.x) + 3).toFixed(1)}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="1.2"/>`,
        );
    }
    if (s.dots !== false)
      for (const p of points)
        parts.push(
          `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="${s.dotRadius ?? 3}" fill="${s.color}"${s.dotRadius ? ' fill-opacity="0.75"' : ''}><title>${escapeXml(`${s.label}: ${fx(p.x)} → ${fy(p.y)}`)}</title></circle>`,
        );
  }
  parts.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 34}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((s, i) => {
    const x = MARGIN.left + (i % columns) * (plotW / columns);
    const y = height - legendRows * LEGEND_ROW + Math.floor(i / columns) * LEGEND_ROW + 4;
    parts.push(
      `<line x1="${x}" x2="${x + 22}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="3"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    parts.push(`<text x="${x + 28}" y="${y + 4}">${escapeXml(s.label)}</text>`);
  });
  const style =
    'text{font:11px sans-serif;fill:#222}.t{font-size:13px;font-weight:600}.g{stroke:#e3e3e3}.a{stroke:#888}.f{fill:none;stroke:#888}.m{stroke:#999;stroke-dasharray:3 3}.ml{fill:#555}';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(chart.title)}">` +
    `<style>${style}</style>${parts.join('')}</svg>`
  );
}

/** A data range padded by 5 % on each side (a flat range gets ±0.5). */
function widen(lo: number, hi: number): [number, number] {
  if (!(hi > lo)) return [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}
