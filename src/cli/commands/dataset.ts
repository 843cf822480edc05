import { parseArgs } from 'node:util';
import { openLab } from '../lab-context';
import { createProgressLine, printJson } from '../output';

export const datasetUsage = `fixres dataset scan <dir> [--json]   scan an ImageFolder tree and remember it`;

export async function datasetCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [sub, dir] = positionals;
  if (sub !== 'scan' || !dir) {
    process.stderr.write(`usage: ${datasetUsage}\n`);
    return 2;
  }
  const lab = openLab();
  const progress = createProgressLine('scanning');
  const off = lab.events.subscribe((event, payload) => {
    if (event === 'dataset.scanProgress') progress.update(`${(payload as { filesSeen: number }).filesSeen} files`);
  });
  try {
    const { scanned } = await lab.datasets.open(dir);
    const dataset = await scanned;
    progress.done();
    if (values.json) printJson(dataset);
    else {
      process.stdout.write(
        `${dataset.name}: ${dataset.imageCount} images in ${dataset.classes.length} classes (${dataset.status})\n`,
      );
      for (const c of dataset.classes) process.stdout.write(`  ${c.name.padEnd(24)} ${String(c.count).padStart(7)}\n`);
    }
    if (dataset.status === 'failed') {
      process.stderr.write(`error: ${dataset.error}\n`);
      return 1;
    }
    return 0;
  } finally {
    off();
    lab.close();
  }
}
