import { parseArgs } from 'node:util';
import type { SweepPoint } from '../../shared/api/sweeps';
import type { Lab } from '../../lab';
import type { RunComparison } from '../../lab';
import { accuracyText, gainText, imageSetText } from '../../shared/stats-text';
import { openLab } from '../lab-context';
import { FinetuneRequest } from '../../shared/api/finetune';
import { flagOfPath, hparamFlags, parseOptionsOf, readHParamFlags } from '../hparam-flags';
import { flagHelp, flagTokens, JSON_FLAG, wrapUsage } from '../hparam-usage';
import { FlagError, listFlag } from '../number-flags';
import { printJson } from '../output';
import { usageFailure } from '../failure';
import { request } from '../request';
import { followRun, pct } from '../run-follow';
import { followSweep } from './sweep';

const FLAGS = hparamFlags(FinetuneRequest);

export const finetuneUsage = `${wrapUsage('fixres finetune <run-id>', [...flagTokens(FLAGS), '[--sweep-k-test 16,24,32 | --no-sweep]', '[--json]'])}
                                       fine-tune a run at K_test (FixRes; default: the official recipe, last-bn+classifier,
                                       lr 8·1e-3·batch/512, epochs for ~600 steps), then sweep the child and compare`;
export const finetuneHelp = flagHelp(FLAGS, [
  ['--sweep-k-test 16,24,32', "K_test list of the sweep after the fine-tune (default: the parent's latest sweep's)"],
  ['--no-sweep', 'Do not sweep the fine-tuned run'],
  JSON_FLAG,
]);

const OPTIONS = {
  ...parseOptionsOf(FLAGS),
  'sweep-k-test': { type: 'string' },
  'no-sweep': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export async function finetuneCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const parentRunId = Number(positionals[0]);
  if (!Number.isInteger(parentRunId) || parentRunId <= 0 || (values as Record<string, unknown>)['k-test'] === undefined)
    throw usageFailure(finetuneUsage);
  const noSweep = values['no-sweep'] === true;
  const lab = openLab();
  try {
    // The fine-tune and its sweep are one operation (the sweep starts when the run completes).
    const sweepAfter = noSweep ? undefined : { kTests: listFlag('sweep-k-test', values['sweep-k-test'] as string | undefined) };
    const body = { ...readHParamFlags(FLAGS, values), parentRunId, sweepAfter } as FinetuneRequest;
    const flagOf = { ...flagOfPath(FLAGS), parentRunId: 'run', sweepAfter: 'sweep-k-test' };
    const { run: child, sweep } = await request(lab, 'runs.finetune', body, flagOf);
    process.stderr.write(
      `run #${child.id} "${child.name}" started (lr ${child.config.lr.toPrecision(3)}, ${child.config.epochs} epochs)\n`,
    );
    try {
      await followRun(lab, child.id, { json: false, print: !values.json && noSweep });
    } catch (err) {
      // The sweep queued behind a run that did not complete ends at once (cancelled); the lab closes after it.
      if (sweep) await lab.sweeps.settled(sweep.id);
      throw err;
    }
    if (!sweep) {
      if (values.json) printJson({ run: lab.runs.get(child.id) });
      return 0;
    }
    const swept = await followSweep(lab, sweep, 'none');
    const comparison = compare(lab, parentRunId, child.id);
    if (values.json) printJson({ run: lab.runs.get(child.id), sweep: lab.sweeps.get(sweep.id), comparison });
    else process.stdout.write(comparisonTable(comparison, parentRunId, child.id, child.config.kTrain));
    return swept;
  } finally {
    lab.close();
  }
}

interface Comparison {
  kTest: number;
  parent: number | null;
  parentFrechet: number | null;
  finetuned: number | null;
  /** The fine-tuned run against its parent at this K_test, on the held-out half (else all images). */
  heldOut: RunComparison | null;
}

function compare(lab: Lab, parentRunId: number, childRunId: number): Comparison[] {
  const parent = lab.sweeps.points(parentRunId);
  const child = lab.sweeps.points(childRunId);
  const paired = lab.sweeps.compare(parentRunId, childRunId);
  const kTests = [...new Set(child.map((p) => p.kTest))].sort((a, b) => a - b);
  const at = (points: SweepPoint[], k: number, adapter: SweepPoint['adapter']) =>
    points.find((p) => p.kTest === k && p.adapter === adapter)?.top1 ?? null;
  return kTests.map((k) => ({
    kTest: k,
    parent: at(parent, k, 'none'),
    parentFrechet: at(parent, k, 'frechet'),
    finetuned: at(child, k, 'none'),
    heldOut: paired.find((p) => p.kTest === k) ?? null,
  }));
}

function comparisonTable(rows: Comparison[], parentId: number, childId: number, kFinetune: number): string {
  if (!rows.length) throw new FlagError('The fine-tuned run has no sweep points');
  const images = rows[0]!.heldOut?.images ?? 'all';
  const lines = [
    `top-1 by K_test on all validation images: run #${parentId} as trained, with the Fréchet adaptation, and fine-tuned at ${kFinetune} (run #${childId});`,
    `the last columns compare the two on ${imageSetText(images)}, with 95 % intervals and McNemar's test`,
    `${'K_test'.padStart(6)} ${'trained'.padStart(8)} ${'Fréchet'.padStart(8)} ${'fine-tuned'.padStart(10)}   ${'trained'.padStart(22)} ${'fine-tuned'.padStart(22)}  gain`,
    ...rows.map(
      (r) =>
        `${`${r.kTest}${r.kTest === kFinetune ? '*' : ''}`.padStart(6)} ${pct(r.parent).padStart(8)} ${pct(r.parentFrechet).padStart(8)} ${pct(r.finetuned).padStart(10)}   ` +
        `${accuracyText(r.heldOut?.first).padStart(22)} ${accuracyText(r.heldOut?.second).padStart(22)}  ${gainText(r.heldOut?.gain)}`,
    ),
    '(* = the fine-tuning resolution)',
  ];
  return `${lines.join('\n')}\n`;
}
