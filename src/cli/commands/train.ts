import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { dispatch, createHandlers, type Lab } from '../../lab';
import type { Run, RunConfigInput } from '../../shared/api/runs';
import { openLab } from '../lab-context';
import { FlagError, pairFlag } from '../number-flags';
import { followRun } from '../run-follow';

export const trainUsage = `fixres train --dataset <id|dir> [--model resnet-mini] [--width W] [--k-train 32] [--k-test K]
                 [--epochs N] [--batch B] [--lr X] [--schedule cosine|step|linear|constant] [--warmup E]
                 [--seed S] [--parent RUN] [--trainable full|classifier|bn+classifier|last-bn+classifier]
                 [--augment rrc|da1|da2] [--scale 0.08,1] [--ratio 0.75,1.333] [--crop-pct 0.875]
                 [--normalize imagenet|dataset] [--name N] [--backend NAME] [--no-decode-cache] [--json]
                 train a model (Ctrl+C cancels, resumable); --no-decode-cache decodes every image every epoch`;

const options = {
  dataset: { type: 'string' },
  model: { type: 'string' },
  width: { type: 'string' },
  'k-train': { type: 'string' },
  'k-test': { type: 'string' },
  epochs: { type: 'string' },
  batch: { type: 'string' },
  lr: { type: 'string' },
  schedule: { type: 'string' },
  warmup: { type: 'string' },
  seed: { type: 'string' },
  parent: { type: 'string' },
  trainable: { type: 'string' },
  augment: { type: 'string' },
  scale: { type: 'string' },
  ratio: { type: 'string' },
  'crop-pct': { type: 'string' },
  normalize: { type: 'string' },
  backend: { type: 'string' },
  name: { type: 'string' },
  'no-decode-cache': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** Flag → RunConfig field, for numeric flags. */
const NUMBERS: Record<string, keyof RunConfigInput> = {
  width: 'width',
  'k-train': 'kTrain',
  'k-test': 'kTest',
  epochs: 'epochs',
  batch: 'batchSize',
  lr: 'lr',
  warmup: 'warmupEpochs',
  seed: 'seed',
  parent: 'parentRunId',
  'crop-pct': 'cropPct',
};
/** Flag → RunConfig field, for `a,b` ranges. */
const PAIRS: Record<string, keyof RunConfigInput> = { scale: 'scale', ratio: 'ratio' };
const STRINGS: Record<string, keyof RunConfigInput> = {
  model: 'arch',
  schedule: 'schedule',
  trainable: 'trainable',
  augment: 'augment',
  backend: 'backend',
  name: 'name',
  normalize: 'normalize',
};

export async function trainCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options });
  if (!values.dataset) {
    process.stderr.write(`usage: ${trainUsage}\n`);
    return 2;
  }
  const flags = values as Record<string, string | boolean | undefined>;
  const cfg: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(NUMBERS)) if (flags[flag] !== undefined) cfg[field] = Number(flags[flag]);
  for (const [flag, field] of Object.entries(STRINGS)) if (flags[flag] !== undefined) cfg[field] = flags[flag];
  try {
    for (const [flag, field] of Object.entries(PAIRS))
      if (flags[flag] !== undefined) cfg[field] = pairFlag(flag, flags[flag] as string);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  if (values['no-decode-cache']) cfg.decodeCache = false;
  const lab = openLab();
  try {
    cfg.datasetId = await resolveDataset(lab, values.dataset);
    const reply = await dispatch(createHandlers(lab), 'runs.start', cfg);
    if (!reply.ok) {
      // A range's issue may name one end of it (`scale.0`).
      const field = reply.error.field?.split('.')[0];
      const flag = Object.entries({ ...NUMBERS, ...STRINGS, ...PAIRS }).find(([, f]) => f === field)?.[0];
      process.stderr.write(`error: ${reply.error.message}${flag ? ` (--${flag})` : ''}\n`);
      return 2;
    }
    const run = reply.value as Run;
    process.stderr.write(`run #${run.id} "${run.name}" started\n`);
    return await followRun(lab, run.id, { json: Boolean(values.json) });
  } finally {
    lab.close();
  }
}

/** A dataset id, or a folder: a known one by its root, else opened and scanned now. */
export async function resolveDataset(lab: Lab, value: string): Promise<number> {
  if (/^\d+$/.test(value)) return Number(value);
  const root = resolve(value);
  const known = lab.datasets.list().find((d) => d.root === root && d.status === 'ready');
  if (known) return known.id;
  process.stderr.write(`scanning ${root}…\n`);
  const dataset = await (await lab.datasets.open(root)).scanned;
  if (dataset.status !== 'ready') throw new Error(`Dataset ${root} could not be scanned: ${dataset.error}`);
  return dataset.id;
}
