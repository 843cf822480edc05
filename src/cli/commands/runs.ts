import { parseArgs } from 'node:util';
import type { RunDetail } from '../../shared/api/runs';
import { openLab } from '../lab-context';
import { outcomesWithMistakes, type OutcomeWithMistakes } from '../../lab';
import { exportCommand, runsExportUsage } from './export';
import { exportRecipeCommand, exportRecipeUsage } from './export-recipe';
import { CliFailure, usageFailure } from '../failure';
import { printJson } from '../output';
import { followRun, formatSeconds, pct, summary } from '../run-follow';
import { BACKEND_NAMES, BackendName } from '../../shared/backends';

/** Mistakes per point `runs show` prints. */
const RUN_SHOW_MISTAKES = 20;

export const runsUsage = `fixres runs list|show <id> [--json]   list runs, or one run with its epochs, per-class accuracy and mistakes
  ${runsExportUsage}
  ${exportRecipeUsage}`;
export const resumeUsage = `fixres resume <id> [--backend NAME] [--json]   continue an interrupted or cancelled run from its checkpoint (on another backend)`;

export async function runsCommand(args: string[]): Promise<number> {
  if (args[0] === 'export') return exportCommand('run', args.slice(1));
  if (args[0] === 'export-recipe') return exportRecipeCommand(args.slice(1));
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [sub, idText] = positionals;
  const id = Number(idText);
  if (sub !== 'list' && !(sub === 'show' && Number.isInteger(id) && id > 0)) throw usageFailure(runsUsage);
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
    // Where the model is wrong: its own measured points (last validation, sweeps), most confident mistakes first.
    const outcomes = outcomesWithMistakes(lab.db, id, { onlyRun: true, mistakes: RUN_SHOW_MISTAKES });
    if (values.json) printJson({ ...run, outcomes });
    else process.stdout.write(describe(run) + outcomes.map(describeOutcome).join(''));
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
  if (!Number.isInteger(id) || id <= 0) throw usageFailure(resumeUsage);
  const backend = BackendName.optional().safeParse(values.backend);
  if (!backend.success)
    throw new CliFailure(`--backend must be one of ${BACKEND_NAMES.join(', ')}; got "${values.backend}"`, 'Invalid', {}, 2);
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

function describeOutcome(o: OutcomeWithMistakes): string {
  const width = Math.max(5, ...o.classNames.map((n) => n.length));
  const lines = [
    '',
    `${o.label}, K_test ${o.kTest}${o.adapter === 'frechet' ? ' + Fréchet' : ''} (${o.source === 'training' ? 'last validation' : o.source}): ${o.correct}/${o.n} right`,
    `  ${'class'.padEnd(width)} ${'images'.padStart(6)} ${'top1'.padStart(6)}  most often taken for`,
    ...o.perClass.map(
      (c) =>
        `  ${c.name.padEnd(width)} ${String(c.n).padStart(6)} ${pct(c.accuracy).padStart(6)}  ${c.confusedWith ? `${c.confusedWith.name} (${c.confusedWith.count})` : '–'}`,
    ),
    `  mistakes, most confident first (${o.mistakes.length} of ${o.mistakesTotal}):`,
    ...o.mistakes.map(
      (m) => `    ${m.relPath}: ${o.classNames[m.trueClass]} → ${o.classNames[m.predictedClass]} (${pct(m.confidence)})`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
