import type { ReportData } from './export-data';

type Cell = string | number | boolean | null | undefined;

/** RFC 4180 CSV: a header and rows; fields with a comma, quote or line break are quoted. */
export function toCsv(header: readonly string[], rows: readonly Cell[][]): string {
  const cell = (v: Cell) => {
    const text = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The CSV files of an export, by file name. */
export function reportCsvFiles(data: ReportData): Record<string, string> {
  const runById = new Map(data.runs.map((r) => [r.id, r]));
  return {
    'sweep-points.csv': toCsv(
      [
        'run_id',
        'run_kind',
        'k_train',
        'k_test',
        'adapter',
        'top1',
        'top5',
        'loss',
        'n',
        'seconds',
        'img_per_sec',
        'sweep_id',
        'top1_ci95_lo',
        'top1_ci95_hi',
        'top1_selection',
        'n_selection',
        'top1_held_out',
        'n_held_out',
      ],
      data.points.map((p) => {
        const run = runById.get(p.runId);
        return [
          p.runId,
          run?.kind,
          run?.config.kTrain,
          p.kTest,
          p.adapter,
          p.top1,
          p.top5,
          p.loss,
          p.n,
          p.seconds,
          p.imgPerSec,
          p.sweepId,
          p.ci95?.[0],
          p.ci95?.[1],
          p.selection?.top1,
          p.selection?.n,
          p.heldOut?.top1,
          p.heldOut?.n,
        ];
      }),
    ),
    'epochs.csv': toCsv(
      ['run_id', 'epoch', 'phase', 'loss', 'acc', 'top5', 'lr', 'img_per_sec', 'seconds'],
      data.runs.flatMap((r) =>
        r.epochs.map((e) => [r.id, e.epoch + 1, e.phase, e.loss, e.acc, e.top5, e.lr, e.imgPerSec, e.seconds]),
      ),
    ),
    'activations.csv': toCsv(
      [
        'run_id',
        'k_test',
        'n',
        'mean',
        'std',
        'zero_fraction',
        'min',
        'max',
        'frechet_mu',
        'frechet_sigma',
        'frechet_xi',
        'frechet_zeros',
        'frechet_ks',
      ],
      data.activations.series.map((s) => [
        data.activations.runId,
        s.kTest,
        s.n,
        s.mean,
        s.std,
        s.zeroFraction,
        s.min,
        s.max,
        s.frechet?.mu,
        s.frechet?.sigma,
        s.frechet?.xi,
        s.frechet?.zeros,
        s.frechet?.ks,
      ]),
    ),
    'speed.csv': toCsv(
      [
        'run_id',
        'kind',
        'series',
        'k_train',
        'parent_k_train',
        'k_test',
        'trainable',
        'augment',
        'epochs',
        'top1',
        'top5',
        'best',
        'train_seconds',
        'total_train_seconds',
        'train_img_per_sec',
        'eval_img_per_sec',
        'peak_rss_mb',
        'backend',
      ],
      data.speed.map((r) => [
        r.runId,
        r.kind,
        r.series,
        r.kTrain,
        r.parentKTrain,
        r.kTest,
        r.trainable,
        r.augment,
        r.epochs,
        r.top1,
        r.top5,
        r.best,
        r.trainSeconds,
        r.totalTrainSeconds,
        r.trainImgPerSec,
        r.evalImgPerSec,
        r.peakRssMb,
        r.backend,
      ]),
    ),
  };
}
