import type { Mistake } from '../../shared/api/outcomes';
import type { OutcomeWithMistakes } from '../outcomes';
import { escapeXml as esc } from './export-svg';

/** Mistakes each point of the HTML report lists (the JSON export keeps more). */
const HTML_MISTAKES = 12;

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
const pointName = (o: OutcomeWithMistakes) =>
  `${o.label} at K_test ${o.kTest}${o.source === 'training' ? ' (last validation)' : ''}`;

/**
 * The points worth a matrix in a report: each run's last validation, and each series' best K_test
 * (all of them would be one matrix per swept resolution).
 */
export function keyOutcomes(outcomes: readonly OutcomeWithMistakes[]): OutcomeWithMistakes[] {
  const best = new Map<string, OutcomeWithMistakes>();
  for (const o of outcomes) {
    const series = `${o.runId}/${o.adapter}`;
    const held = best.get(series);
    if (!held || (o.top1 ?? -1) > (held.top1 ?? -1)) best.set(series, o);
  }
  const keep = new Set([...outcomes.filter((o) => o.source === 'training'), ...best.values()]);
  return outcomes.filter((o) => keep.has(o));
}

/** Thumbnails as data URLs by image id (the gallery's own, src/lab/datasets/dataset-images.ts). */
export type ReportThumbnails = ReadonlyMap<number, string>;

/** The ids of the images the report's mistake tables show: thumbnails are fetched for these only. */
export function shownMistakeImageIds(outcomes: readonly OutcomeWithMistakes[]): number[] {
  return shownIds(keyOutcomes(outcomes));
}

function shownIds(points: readonly OutcomeWithMistakes[]): number[] {
  const ids = points.flatMap((o) => o.mistakes.slice(0, HTML_MISTAKES).map((m) => m.imageId));
  return [...new Set(ids.filter((id): id is number => id !== null))];
}

/** Only base64 image data URLs go into the report (nothing it could fetch or run). */
const IMAGE_DATA_URL = /^data:image\/(webp|png|jpeg);base64,[A-Za-z0-9+/]+=*$/;

/**
 * "Where the models are wrong": per-class accuracy of the key points side by side, then each one's
 * confusion matrix and most confident mistakes, with thumbnails where given. The same image is
 * often a mistake at several points: its data URL is written once (an SVG `<image>` each
 * thumbnail `<use>`s), which keeps the report several times smaller.
 */
export function outcomesHtml(outcomes: readonly OutcomeWithMistakes[], thumbnails: ReportThumbnails = new Map()): string {
  const points = keyOutcomes(outcomes);
  if (!points.length)
    return `<h2>Where the models are wrong</h2><p>No confusion matrix was stored (run a sweep, or train to the last epoch).</p>`;
  const classNames = points[0]!.classNames;
  const perClass =
    `<table><caption>Per-class top-1 accuracy</caption><thead><tr><th>class</th>${points.map((o) => `<th>${esc(pointName(o))}</th>`).join('')}</tr></thead><tbody>` +
    classNames
      .map(
        (name, c) =>
          `<tr><th>${esc(name)}</th>${points.map((o) => `<td>${pct(o.perClass[c]?.accuracy ?? null)}</td>`).join('')}</tr>`,
      )
      .join('') +
    `</tbody></table>`;
  const usable = new Map([...thumbnails].filter(([, url]) => IMAGE_DATA_URL.test(url)));
  const images = shownIds(points).flatMap((id) => {
    const url = usable.get(id);
    return url ? [`<image id="thumb-${id}" href="${url}" width="64" height="64" preserveAspectRatio="xMidYMid meet"/>`] : [];
  });
  const defs = images.length ? `<svg class="defs" aria-hidden="true"><defs>${images.join('')}</defs></svg>` : '';
  return [`<h2>Where the models are wrong</h2>`, defs, perClass, ...points.map((o) => pointHtml(o, usable))].join('\n');
}

function thumbnailHtml(m: Mistake, thumbnails: ReportThumbnails): string {
  if (m.imageId === null || !thumbnails.has(m.imageId)) return '';
  return `<svg class="thumb" viewBox="0 0 64 64" role="img" aria-label="${esc(m.relPath)}"><use href="#thumb-${m.imageId}"/></svg> `;
}

function pointHtml(o: OutcomeWithMistakes, thumbnails: ReportThumbnails): string {
  const head = o.classNames.map((n) => `<th>${esc(n)}</th>`).join('');
  const rows = o.confusion
    .map(
      (row, t) =>
        `<tr><th>${esc(o.classNames[t] ?? String(t))}</th>${row.map((count, p) => `<td${p === t ? ' class="diag"' : ''}>${count}</td>`).join('')}</tr>`,
    )
    .join('');
  const matrix = `<table class="matrix"><caption>Confusion matrix: ${esc(pointName(o))}, ${o.correct} of ${o.n} right (${pct(o.top1)}); rows true class, columns predicted</caption><thead><tr><th>true \\ predicted</th>${head}</tr></thead><tbody>${rows}</tbody></table>`;
  const shown = o.mistakes.slice(0, HTML_MISTAKES);
  const mistakes = shown.length
    ? `<table><caption>Most confident mistakes (${shown.length} of ${o.mistakesTotal})</caption><thead><tr><th>image</th><th>true class</th><th>predicted</th><th>confidence</th></tr></thead><tbody>${shown
        .map(
          (m) =>
            `<tr><td>${thumbnailHtml(m, thumbnails)}${esc(m.relPath)}</td><td>${esc(o.classNames[m.trueClass] ?? '')}</td><td>${esc(o.classNames[m.predictedClass] ?? '')}</td><td>${pct(m.confidence)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : `<p>No misclassified image.</p>`;
  return `<h3>${esc(pointName(o))}</h3>${matrix}${mistakes}`;
}
