import { parseArgs } from 'node:util';
import type { RunDetail } from '../../shared/api/runs';
import { openLab } from '../lab-context';
import { exportCommand, runsExportUsage } from './export';
import { exportRecipeCommand, exportRecipeUsage } from './export-recipe';
import { printJson } from '../output';
import { followRun, formatSeconds, pct, summary } from '../run-follow';
import { BACKEND_NAMES, BackendName } from '../../shared/backends';

export const runsUsage = `fixres runs list|show <id> [--json]   list runs, or one run with its epochs
  ${runsExportUsage}
  ${exportRecipeUsage}`;
export const resumeUsage = `fixres resume <id> [--backend NAME] [--json]   continue an interrupted or cancelled run from its checkpoint (on another backend)`;

export async function runsCommand(args: string[]): Promise<number> {
  if (args[0] === 'export') return exportCommand('run', args.slice(1));
  if (args[0] === 'export-recipe') return exportRecipeCommand(args.slice(1));
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [sub, idText] = positionals;
  const id = Number(idText);
  if (sub !== 'list' && !(sub === 'show' && Number.isInteger(id) && id > 0)) {
    process.stderr.write(`usage: ${runsUsage}\n`);
    return 2;
  }
  const lab = openLab();
  try {
    if (sub === 'list') {
      const runs = lab.runs.list();
      if (values.json) printJson(runs);
      else if (!runs.length) process.stdout.write('no runs yet — start one with `fixres train --dataset <dir>`\n');
      else {
        process.stdout.write(
          `${'id'.padStart(4)}  ${'status'.padEnd(11)} ${'epochs'.padStart(7)} ${'acc'.padStart(6)} ${'img/s'.padStart(7)}  name\n`,
        );
        for (const r of runs) {
          const epochs = `${r.epochsDone}/${r.config.epochs}`;
          const speed = r.imgPerSec === null ? '–' : String(Math.round(r.imgPerSec));
          process.stdout.write(
            `${String(r.id).padStart(4)}  ${r.status.padEnd(11)} ${epochs.padStart(7)} ${pct(r.lastAcc).padStart(6)} ${speed.padStart(7)}  ${r.name}\n`,
          );
        }
      }
      return 0;
    }
    const run = lab.runs.get(id);
    if (values.json) printJson(run);
    else process.stdout.write(describe(run));
    return 0;
  } finally {
    lab.close();
  }
}

export async function resumeCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, backend: { type: 'string' } },
  });
  const id = Number(positionals[0]);
  if (!Number.isInteger(id) || id <= 0) {
    process.stderr.write(`usage: ${resumeUsage}\n`);
    return 2;
  }
  const backend = BackendName.optional().safeParse(values.backend);
  if (!backend.success) {
    process.stderr.write(`error: --backend must be one of ${BACKEND_NAMES.join(', ')}; got "${values.backend}"\n`);
    return 2;
  }
  const lab = openLab();
  try {
    const run = lab.runs.resume(id, backend.data ? { backend: backend.data } : {});
    const from = run.checkpoint
      ? `epoch ${run.checkpoint.epoch + 1}, batch ${run.checkpoint.batch + 1}`
      : 'the start (no checkpoint yet)';
    process.stderr.write(`resuming run #${id} from ${from}\n`);
    return await followRun(lab, id, { json: Boolean(values.json) });
  } finally {
    lab.close();
  }
}

function describe(run: RunDetail): string {
  const c = run.config;
  const lines = [
    summary(run),
    `  ${run.kind}${run.parentId ? ` of run #${run.parentId}` : ''}, ${c.arch} ×${c.width}, K_train ${c.kTrain}, K_test ${c.kTest}, batch ${c.batchSize}, lr ${c.lr} ${c.schedule}, seed ${c.seed}`,
    `  ${c.trainImages} training / ${c.valImages} validation images; peak memory ${run.peakRssMb === null ? '–' : `${Math.round(run.peakRssMb)} MB`}; wall ${formatSeconds(run.wallSeconds)}`,
    ...(run.error ? [`  error: ${run.error}`] : []),
    '',
    `${'epoch'.padStart(5)}  ${'phase'.padEnd(5)} ${'loss'.padStart(7)} ${'acc'.padStart(6)} ${'top5'.padStart(6)} ${'lr'.padStart(9)} ${'img/s'.padStart(7)}`,
    ...run.epochs.map(
      (e) =>
        `${String(e.epoch + 1).padStart(5)}  ${e.phase.padEnd(5)} ${(e.loss?.toFixed(4) ?? '–').padStart(7)} ${pct(e.acc).padStart(6)} ${pct(e.top5).padStart(6)} ${e.lr.toPrecision(3).padStart(9)} ${String(Math.round(e.imgPerSec ?? 0)).padStart(7)}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
