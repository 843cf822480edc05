import { parseArgs } from 'node:util';
import type { SpeedRow } from '../../shared/api/speed';
import { openLab } from '../lab-context';
import { printJson } from '../output';
import { request } from '../request';
import { formatSeconds, pct } from '../run-follow';
import { resolveDataset } from '../dataset-ref';

export const speedUsage = `fixres speed [--dataset <id|name|dir>] [--best] [--json]   speed vs accuracy: (K_train, K_test, mode) → top-1 and cost`;

export async function speedCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { dataset: { type: 'string' }, best: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const lab = openLab();
  try {
    const datasetId = values.dataset === undefined ? undefined : await resolveDataset(lab, values.dataset, { open: false });
    const rows = await request(lab, 'runs.speed', { datasetId, bestOnly: values.best });
    if (values.json) printJson(rows);
    else process.stdout.write(speedTable(rows));
    return 0;
  } finally {
    lab.close();
  }
}

/** The paper-style table: train and test resolution, how the model was adapted, accuracy, and what it cost. */
export function speedTable(rows: SpeedRow[]): string {
  if (!rows.length) return 'no completed runs yet\n';
  const header = `${'run'.padStart(4)} ${'K_train'.padStart(7)} ${'K_test'.padStart(6)}  ${'mode'.padEnd(40)} ${'top-1'.padStart(6)} ${'95%-interval'.padStart(12)} ${'top-5'.padStart(6)} ${'train'.padStart(8)} ${'total'.padStart(8)} ${'train img/s'.padStart(11)} ${'test img/s'.padStart(10)} ${'peak MB'.padStart(7)}`;
  const lines = rows.map((r) => {
    const mode =
      r.series === 'finetuned'
        ? `fine-tuned ${r.trainable} ${r.augment.toUpperCase()} (from ${r.parentKTrain})`
        : r.series === 'frechet'
          ? 'Fréchet adaptation'
          : `tested as trained (${r.trainable})`;
    return (
      `${String(r.runId).padStart(4)} ${String(r.series === 'finetuned' ? r.parentKTrain : r.kTrain).padStart(7)} ${`${r.kTest}${r.best ? '*' : ''}`.padStart(6)}  ${mode.padEnd(40)} ` +
      `${pct(r.top1).padStart(6)} ${(r.ci95 ? r.ci95.map((v) => (100 * v).toFixed(1)).join('–') : '–').padStart(12)} ${pct(r.top5).padStart(6)} ${formatSeconds(r.trainSeconds).padStart(8)} ${formatSeconds(r.totalTrainSeconds).padStart(8)} ` +
      `${(r.trainImgPerSec ? Math.round(r.trainImgPerSec).toString() : '–').padStart(11)} ${(r.evalImgPerSec ? Math.round(r.evalImgPerSec).toString() : '–').padStart(10)} ${(r.peakRssMb ? Math.round(r.peakRssMb).toString() : '–').padStart(7)}`
    );
  });
  return `${[header, ...lines, '(* = best K_test of the run in that mode; K_train of a fine-tuned row is its parent’s; total includes the parent’s training)'].join('\n')}\n`;
}
