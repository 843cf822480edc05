import { parseArgs } from 'node:util';
import { RunConfig } from '../../shared/api/runs';
import { flagOfPath, hparamFlags, parseOptionsOf, readHParamFlags } from '../hparam-flags';
import { flagHelp, flagTokens, JSON_FLAG, wrapUsage } from '../hparam-usage';
import { openLab } from '../lab-context';
import { resolveDataset } from '../dataset-ref';
import { usageFailure } from '../failure';
import { request } from '../request';
import { followRun } from '../run-follow';

const FLAGS = hparamFlags(RunConfig);

export const trainUsage = `${wrapUsage('fixres train --dataset <id|name|dir>', [...flagTokens(FLAGS), '[--json]'])}
                 train a model (Ctrl+C cancels, resumable); --no-decode-cache decodes every image every epoch`;
export const trainHelp = flagHelp(FLAGS, [JSON_FLAG]);

export async function trainCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...parseOptionsOf(FLAGS), dataset: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (typeof values.dataset !== 'string') throw usageFailure(trainUsage);
  const dataset = values.dataset;
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
}
