import type { Payoff } from '../../shared/api/workflows';
import { PAYOFF_CHART_TEXT, payoffChartPoints, payoffYRange } from '../../shared/payoff-chart';
import { accuracyText, gainText, intervalText, pointsText, protocolText } from '../../shared/stats-text';
import type { ReportData } from './export-data';
import { outcomesHtml, type ReportThumbnails } from './export-outcomes-html';
import { escapeXml as esc, lineChartSvg, PALETTE, sequentialColor, type SvgSeries } from './export-svg';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null | undefined, digits = 4) => (v === null || v === undefined ? '–' : v.toFixed(digits));
const secs = (s: number) => (s < 90 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`);

/** A table from a header and rows of already-formatted cells (escaped here). */
function table(header: string[], rows: (string | number)[][], caption?: string): string {
  const head = header.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(String(c))}</td>`).join('')}</tr>`).join('');
  return `<table>${caption ? `<caption>${esc(caption)}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Accuracy against K_test for every series, with K_train and K_test* marked. */
export function resolutionChartSvg(data: ReportData): string {
  const { chart } = data;
  let other = 2;
  const series: SvgSeries[] = chart.series.map((s) => ({
    label: s.label,
    points: s.points.map((p) => ({ x: p.kTest, y: p.top1, lo: p.ci95[0], hi: p.ci95[1] })),
    color: s.kind === 'baseline' ? PALETTE[0]! : s.kind === 'frechet' ? PALETTE[1]! : PALETTE[other++ % PALETTE.length]!,
    dashed: s.kind === 'frechet',
  }));
  const markers = [{ x: chart.kTrain, label: `K_train ${chart.kTrain}` }];
  if (chart.kTestStar && chart.kTestStar !== chart.kTrain)
    markers.push({ x: chart.kTestStar, label: `K_test* ${chart.kTestStar}` });
  return lineChartSvg({
    title: 'Top-1 accuracy by test resolution (bars: 95 % intervals)',
    xLabel: 'K_test (pixels)',
    yLabel: 'top-1',
    series,
    markers,
    yFormat: (y) => `${(y * 100).toFixed(0)}%`,
  });
}

/** Validation (solid) and training (dashed) accuracy per epoch of every run. */
export function trainingChartSvg(data: ReportData): string {
  const series = data.runs.flatMap((run, i): SvgSeries[] => {
    const color = PALETTE[i % PALETTE.length]!;
    const of = (phase: 'train' | 'val') =>
      run.epochs.filter((e) => e.phase === phase && e.acc !== null).map((e) => ({ x: e.epoch + 1, y: e.acc! }));
    return [
      { label: `#${run.id} val (K ${run.config.kTest})`, points: of('val'), color },
      { label: `#${run.id} train (K ${run.config.kTrain})`, points: of('train'), color, dashed: true, dots: false },
    ].filter((s) => s.points.length > 0);
  });
  return lineChartSvg({
    title: 'Accuracy per epoch',
    xLabel: 'epoch',
    yLabel: 'accuracy',
    series,
    yFormat: (y) => `${(y * 100).toFixed(0)}%`,
  });
}

/** Empirical CDF of the pooled features per K_test on shared bins, and the train-resolution reference. */
export function activationChartSvg(data: ReportData): string {
  const view = data.activations;
  const right = view.edges.slice(1);
  const series: SvgSeries[] = view.series.map((s, i) => ({
    label: `K_test ${s.kTest}`,
    points: s.cdf.map((y, j) => ({ x: right[j]!, y })),
    color: sequentialColor(i, view.series.length),
    dots: false,
  }));
  if (view.reference)
    series.push({
      label: `reference (${view.reference.source}, K ${view.reference.kTrain})`,
      points: view.reference.cdf.map((y, j) => ({ x: right[j]!, y })),
      color: '#000000',
      dashed: true,
      dots: false,
    });
  return lineChartSvg({
    title: 'Pooled features: empirical CDF by test resolution',
    xLabel: 'pooled activation',
    yLabel: 'P(feature ≤ x)',
    series,
    yRange: [0, 1],
    yFormat: (y) => y.toFixed(1),
    xFormat: (x) => Number(x.toPrecision(3)).toString(),
  });
}

/** The whole report: summary, charts and tables, with inline styles, SVG and data-URL thumbnails only (no script, nothing remote). */
export function reportHtml(data: ReportData, thumbnails: ReportThumbnails = new Map()): string {
  const base = data.runs[0]!;
  const sections: string[] = [];
  if (data.workflow?.summary) {
    const s = data.workflow.summary;
    type Score = typeof s.atKTrain;
    const at = (x: Score) => (x ? `${x.reported ? accuracyText(x.reported) : pct(x.top1)} at K_test ${x.kTest}` : '–');
    const g = s.gains;
    sections.push(
      `<h2>Summary</h2>`,
      s.images
        ? `<p>${esc(protocolText(s.images))}. Top-1 with Wilson 95 % intervals; gains with McNemar's exact test on the same images.</p>`
        : '',
      table(
        ['', 'result', 'gain (McNemar)'],
        [
          ['K_train', s.kTrain, ''],
          ['K_test* (apparent sizes match, Monte Carlo)', s.kTestStar ?? '–', ''],
          ['tested at K_train', at(s.atKTrain), ''],
          ['best test resolution (no fine-tuning)', at(s.bestTested), g ? `${gainText(g.testLarger)} over K_train` : ''],
          ['with Fréchet adaptation', at(s.frechet), g?.frechet ? `${gainText(g.frechet)} over untuned there` : ''],
          [
            `fine-tuned (run #${s.finetuneRunId ?? '–'})`,
            at(s.finetuned),
            g?.finetune ? `${gainText(g.finetune)} over untuned there` : '',
          ],
          ...(s.finetuneCandidates ?? []).map((c) => [
            `  fine-tuned K_test tried: ${c.kTest}`,
            at(c),
            `selection ${pct(c.selection?.top1)}`,
          ]),
          ['best', `${at(s.best)} (${s.best?.series ?? '–'})`, ''],
          ['gain over testing at K_train', g?.total ? gainText(g.total) : pointsText(s.gain), ''],
          ['total time', secs(s.totalSeconds), ''],
        ],
      ),
      ...(s.warnings ?? []).map((w) => `<p class="warning">⚠ ${esc(w)}</p>`),
      ...(s.payoff ? payoffSection(s.payoff) : []),
      table(
        ['phase', 'seconds', 'peak memory (MB)', 'images/s'],
        s.phases.map((p) => [
          p.step,
          p.seconds.toFixed(1),
          p.peakRssMb ? Math.round(p.peakRssMb) : '–',
          p.imgPerSec ? Math.round(p.imgPerSec) : '–',
        ]),
        'Time, peak memory and speed per phase',
      ),
    );
  }
  sections.push(`<h2>Accuracy by test resolution</h2>`, `<figure>${resolutionChartSvg(data)}</figure>`, pointsTable(data));
  sections.push(`<h2>Pooled-feature statistics</h2>`, `<figure>${activationChartSvg(data)}</figure>`, activationsTable(data));
  sections.push(outcomesHtml(data.outcomes, thumbnails));
  sections.push(`<h2>Training</h2>`, `<figure>${trainingChartSvg(data)}</figure>`, runsTable(data));
  sections.push(
    `<h2>Speed and accuracy</h2>`,
    table(
      ['run', 'K_train', 'K_test', 'mode', 'top-1', '95 % interval', 'train time', 'total', 'train img/s', 'test img/s', 'peak MB'],
      data.speed.map((r) => [
        `#${r.runId}`,
        r.series === 'finetuned' ? `${r.parentKTrain} → ${r.kTrain}` : r.kTrain,
        `${r.kTest}${r.best ? ' (best)' : ''}`,
        r.series === 'finetuned'
          ? `fine-tuned ${r.trainable} ${r.augment.toUpperCase()}`
          : r.series === 'frechet'
            ? 'Fréchet adaptation'
            : 'as trained',
        pct(r.top1),
        r.ci95 ? intervalText(r.ci95) : '–',
        secs(r.trainSeconds),
        secs(r.totalTrainSeconds),
        r.trainImgPerSec ? Math.round(r.trainImgPerSec) : '–',
        r.evalImgPerSec ? Math.round(r.evalImgPerSec) : '–',
        r.peakRssMb ? Math.round(r.peakRssMb) : '–',
      ]),
    ),
  );
  sections.push(
    `<h2>Configuration of run #${base.id}</h2>`,
    table(
      ['setting', 'value'],
      Object.entries(base.config).map(([k, v]) => [k, JSON.stringify(v)]),
    ),
  );
  const css =
    'body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:980px;padding:0 1rem;color:#1d1d1d}' +
    'table{border-collapse:collapse;margin:0.8rem 0 1.4rem;font-size:13px}th,td{border:1px solid #d4d4d4;padding:3px 8px;text-align:right}' +
    'th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}caption{text-align:left;font-weight:600;padding:4px 0}' +
    'figure{margin:0.5rem 0}svg{max-width:100%;height:auto}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}' +
    '.meta{color:#555}.warning{color:#8a4b00}.matrix td.diag{background:#e3effb}h3{font-size:1rem}' +
    '.thumb{width:64px;height:64px;vertical-align:middle;margin-right:6px;background:#f3f3f3}.defs{position:absolute;width:0;height:0}';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(data.title)} — FixRes Lab report</title><style>${css}</style></head>
<body><h1>${esc(data.title)}</h1>
<p class="meta">Dataset ${esc(data.dataset ? `${data.dataset.name} (${data.dataset.root})` : '–')} · exported ${esc(data.generatedAt)} by ${esc(data.app.name)} ${esc(data.app.version)} · backend ${esc(base.backend ?? '–')}</p>
${sections.join('\n')}
</body></html>
`;
}

function pointsTable(data: ReportData): string {
  // Top-5 only where it means something (more than 5 classes: the engine leaves it empty otherwise).
  const top5 = data.chart.series.some((s) => s.points.some((p) => p.top5 !== null));
  const kTests = [...new Set(data.chart.series.flatMap((s) => s.points.map((p) => p.kTest)))].sort((a, b) => a - b);
  const header = [
    'K_test',
    ...data.chart.series.flatMap((s) =>
      s.kind === 'baseline'
        ? [`${s.label} top-1`, '95 % interval', ...(top5 ? ['top-5'] : []), 'loss']
        : [`${s.label} top-1`, '95 % interval'],
    ),
  ];
  const rows = kTests.map((k) => [
    `${k}${k === data.chart.kTrain ? ' (K_train)' : ''}`,
    ...data.chart.series.flatMap((s) => {
      const p = s.points.find((q) => q.kTest === k);
      const ci = p ? intervalText(p.ci95) : '–';
      return s.kind === 'baseline' ? [pct(p?.top1), ci, ...(top5 ? [pct(p?.top5)] : []), num(p?.loss)] : [pct(p?.top1), ci];
    }),
  ]);
  return table(header, rows, 'Sweep points (top-1 on all validation images)');
}

/** Train small vs train large: the table, and top-1 (with its interval) against training time. */
function payoffSection(p: Payoff): string[] {
  return [
    `<h2>Train small (${p.kSmall}) vs train large (${p.kLarge})</h2>`,
    table(
      ['model', 'K_train', 'K_test', 'top-1 [95 %]', 'training time', 'peak memory (MB)', 'train img/s'],
      p.rows.map((r) => [
        r.label,
        r.kTrain,
        r.kTest,
        accuracyText(r.reported),
        secs(r.trainSeconds),
        r.peakRssMb ? Math.round(r.peakRssMb) : '–',
        r.trainImgPerSec ? Math.round(r.trainImgPerSec) : '–',
      ]),
    ),
    `<p>Small + fine-tune at ${p.kLarge} vs large at ${p.kLarge}: ${esc(gainText(p.smallFinetunedVsLarge))}. ` +
      `Small at its best K_test vs large at ${p.kLarge}: ${esc(gainText(p.smallTestedVsLarge))}.</p>`,
    `<figure>${payoffChartSvg(p)}<figcaption>${esc(PAYOFF_CHART_TEXT.caption)}</figcaption></figure>`,
  ];
}

/** Top-1 against training time, one point per row with its 95 % interval, dot area ∝ peak memory (src/shared/payoff-chart.ts). */
export function payoffChartSvg(p: Payoff): string {
  const points = payoffChartPoints(p);
  return lineChartSvg({
    title: PAYOFF_CHART_TEXT.title,
    xLabel: PAYOFF_CHART_TEXT.xLabel,
    yLabel: PAYOFF_CHART_TEXT.yLabel,
    series: points.map((pt, i) => ({
      label: pt.label,
      points: [{ x: pt.drawX, y: pt.y, lo: pt.lo, hi: pt.hi }],
      color: PALETTE[i % PALETTE.length]!,
      line: false,
      dotRadius: Number(pt.radius.toFixed(1)),
    })),
    yRange: payoffYRange(points),
    // From zero, as in the app: training time is a cost, read against none.
    xRange: [0, 1.05 * Math.max(1, ...points.map((pt) => pt.drawX))],
    yFormat: (y) => `${(y * 100).toFixed(0)}%`,
    xFormat: (x) => x.toFixed(0),
  });
}

function activationsTable(data: ReportData): string {
  const rows = data.activations.series.map((s) => [
    s.kTest,
    s.n,
    num(s.mean),
    num(s.std),
    pct(s.zeroFraction),
    num(s.max, 3),
    num(s.frechet?.mu),
    num(s.frechet?.sigma),
    s.frechet ? String(s.frechet.xi) : '–',
    num(s.frechet?.ks, 3),
  ]);
  const ref = data.activations.reference;
  if (ref)
    rows.push([
      `reference (${ref.source}, K ${ref.kTrain})`,
      '',
      '',
      '',
      '',
      '',
      num(ref.frechet.mu),
      num(ref.frechet.sigma),
      String(ref.frechet.xi),
      num(ref.frechet.ks, 3),
    ]);
  return table(
    ['K_test', 'n', 'mean', 'std', 'zeros', 'max', 'Fréchet μ', 'σ', 'ξ', 'KS'],
    rows,
    `Pooled features of run #${data.activations.runId}`,
  );
}

function runsTable(data: ReportData): string {
  return table(
    [
      'run',
      'kind',
      'K_train',
      'trainable',
      'augment',
      'epochs',
      'lr',
      'batch',
      'final val acc',
      'wall',
      'img/s',
      'peak MB',
      'backend',
    ],
    data.runs.map((r) => [
      `#${r.id}`,
      r.kind,
      r.config.kTrain,
      r.config.trainable,
      r.config.augment,
      r.epochsDone,
      r.config.lr.toPrecision(3),
      r.config.batchSize,
      pct(r.lastAcc),
      secs(r.wallSeconds),
      r.imgPerSec ? Math.round(r.imgPerSec) : '–',
      r.peakRssMb ? Math.round(r.peakRssMb) : '–',
      r.backend ?? '–',
    ]),
  );
}
