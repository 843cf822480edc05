import type { SpeedRow } from '../../shared/api/speed';
import type { SweepPoint } from '../../shared/api/sweeps';
import type { Db } from '../../store/db';
import { getRun, listEpochs, listRuns, type RunRow } from '../../store/runs';
import { listRunPoints } from '../../store/sweeps';

/**
 * The speed/accuracy table (the paper's Table of train/test resolutions against accuracy and
 * cost): one row per completed run and K_test and series (as trained, Fréchet-adapted, or
 * fine-tuned), with the run's training time, speed and peak memory and the evaluation speed at
 * that K_test. A run never swept contributes its last validation epoch at its own K_test.
 */
export function speedTable(db: Db, options: { datasetId?: number; bestOnly?: boolean } = {}): SpeedRow[] {
  const runs = listRuns(db).filter(
    (r) =>
      r.status === 'completed' &&
      r.kind !== 'sweep' &&
      r.kind !== 'workflow' &&
      (options.datasetId === undefined || r.dataset_id === options.datasetId),
  );
  const rows = runs.reverse().flatMap((run) => rowsOf(db, run));
  return options.bestOnly ? rows.filter((r) => r.best) : rows;
}

const SERIES_ORDER: SpeedRow['series'][] = ['baseline', 'frechet', 'finetuned'];

function rowsOf(db: Db, run: RunRow): SpeedRow[] {
  const config = run.config;
  const parent = run.parent_id === null ? null : getRun(db, run.parent_id);
  const parentConfig = parent?.config ?? null;
  const seriesOf = (p: SweepPoint): SpeedRow['series'] =>
    p.adapter === 'frechet' ? 'frechet' : run.kind === 'finetune' ? 'finetuned' : 'baseline';
  type Point = Pick<SweepPoint, 'kTest' | 'top1' | 'top5' | 'imgPerSec'> & { series: SpeedRow['series'] };
  let points: Point[] = listRunPoints(db, run.id)
    .map((p) => ({ ...p, series: seriesOf(p) }))
    .sort((a, b) => SERIES_ORDER.indexOf(a.series) - SERIES_ORDER.indexOf(b.series) || a.kTest - b.kTest);
  if (!points.length) {
    const lastVal = listEpochs(db, run.id)
      .filter((e) => e.phase === 'val')
      .at(-1);
    if (!lastVal || lastVal.acc === null) return [];
    points = [
      {
        kTest: config.kTest,
        top1: lastVal.acc,
        top5: lastVal.top5,
        imgPerSec: null,
        series: run.kind === 'finetune' ? 'finetuned' : 'baseline',
      },
    ];
  }
  const bestOf = new Map<string, number>();
  for (const p of points) if (p.top1 > (bestOf.get(p.series) ?? -1)) bestOf.set(p.series, p.top1);
  const best = new Set<string>();
  return points.map((p) => {
    const isBest = p.top1 === bestOf.get(p.series) && !best.has(p.series);
    if (isBest) best.add(p.series);
    return {
      runId: run.id,
      runName: run.name,
      kind: run.kind as 'train' | 'finetune',
      parentId: run.parent_id,
      datasetId: run.dataset_id,
      arch: config.arch,
      width: config.width,
      kTrain: config.kTrain,
      parentKTrain: parentConfig?.kTrain ?? null,
      kTest: p.kTest,
      series: p.series,
      trainable: config.trainable,
      augment: config.augment,
      epochs: config.epochs,
      top1: p.top1,
      top5: p.top5,
      best: isBest,
      trainSeconds: run.wall_seconds,
      totalTrainSeconds: run.wall_seconds + (parent?.wall_seconds ?? 0),
      trainImgPerSec: run.img_per_sec,
      evalImgPerSec: p.imgPerSec,
      peakRssMb: run.peak_rss_mb,
      backend: run.backend,
    };
  });
}
