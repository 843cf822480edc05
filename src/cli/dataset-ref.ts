import { existsSync } from 'node:fs';
import type { Lab } from '../lab';
import { commandLinePath } from '../lab';
import type { Dataset } from '../shared/api/datasets';
import { CliFailure } from './failure';

/**
 * The dataset a command line names, the same way for every command: an id (`3`), a folder (`~/data/pets`,
 * `./pets`; relative to the working directory) or a dataset's name (`synthetic`). A folder wins over a
 * name when it exists; a folder the lab does not know yet is opened and scanned when `open` allows it.
 */
export async function resolveDataset(lab: Lab, ref: string, options: { open: boolean } = { open: true }): Promise<number> {
  const known = lab.datasets.list();
  if (/^\d+$/.test(ref.trim())) {
    const byId = known.find((d) => d.id === Number(ref));
    if (!byId) throw new CliFailure(`No dataset with id ${ref}${knownList(known)}`, 'NotFound');
    return byId.id;
  }
  const path = commandLinePath(ref);
  const atPath = known.find((d) => d.root === path);
  if (atPath && (atPath.status === 'ready' || !options.open)) return atPath.id;
  if (existsSync(path) && options.open) return scan(lab, path);
  const named = known.filter((d) => d.name === ref);
  if (named.length === 1) return named[0]!.id;
  if (named.length > 1)
    throw new CliFailure(
      `${named.length} datasets are named "${ref}" (${ids(named)}): give the id or the folder instead`,
      'Invalid',
    );
  throw new CliFailure(
    `No dataset with the id, name or folder "${ref}"${knownList(known)}. Scan a folder first with \`fixres dataset scan <dir>\`.`,
    'NotFound',
  );
}

async function scan(lab: Lab, root: string): Promise<number> {
  process.stderr.write(`scanning ${root}…\n`);
  const dataset = await (await lab.datasets.open(root)).scanned;
  if (dataset.status !== 'ready')
    throw new CliFailure(
      `Dataset ${root} could not be scanned: ${dataset.error}. Fix the folder, then scan it again.`,
      'Invalid',
    );
  return dataset.id;
}

function ids(datasets: Dataset[]): string {
  return datasets.map((d) => `${d.id} at ${d.root}`).join(', ');
}

function knownList(known: Dataset[]): string {
  return known.length ? `; known: ${known.map((d) => `${d.name} (${d.id})`).join(', ')}` : '';
}
