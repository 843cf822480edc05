import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Lab } from '../../lab';
import { RunConfig } from '../../shared/api/runs';
import { flagOfPath, hparamFlags, parseOptionsOf, readHParamFlags } from '../hparam-flags';
import { flagHelp, flagTokens, JSON_FLAG, wrapUsage } from '../hparam-usage';
import { openLab } from '../lab-context';
import { request, withFlagErrors } from '../request';
import { followRun } from '../run-follow';

const FLAGS = hparamFlags(RunConfig);

export const trainUsage = `${wrapUsage('fixres train --dataset <id|dir>', [...flagTokens(FLAGS), '[--json]'])}
                 train a model (Ctrl+C cancels, resumable); --no-decode-cache decodes every image every epoch`;
export const trainHelp = flagHelp(FLAGS, [JSON_FLAG]);

export async function trainCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...parseOptionsOf(FLAGS), dataset: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (typeof values.dataset !== 'string') {
    process.stderr.write(`usage: ${trainUsage}\n`);
    return 2;
  }
  const dataset = values.dataset;
  return withFlagErrors(async () => {
    const cfg = readHParamFlags(FLAGS, values);
    const lab = openLab();
    try {
      cfg.datasetId = await resolveDataset(lab, dataset);
      const run = await request(lab, 'runs.start', cfg as RunConfig, { ...flagOfPath(FLAGS), datasetId: 'dataset' });
      process.stderr.write(`run #${run.id} "${run.name}" started\n`);
      return await followRun(lab, run.id, { json: Boolean(values.json) });
    } finally {
      lab.close();
    }
  });
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
