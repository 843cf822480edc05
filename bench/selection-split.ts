/**
 * The lab's selection / held-out halves of a folder dataset's validation images, for the PyTorch
 * reference (bench/reference/fixres_protocol.py), computed by the lab's own selectionSplit:
 *   npx tsx bench/selection-split.ts <dataset dir> > split.json
 * Prints {"val/<class>/<file>": 1 (selection) | 0 (held out), …} for DIR/val/<class>/*.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { selectionSplit } from '../src/core/per-image';

const root = process.argv[2];
if (!root) {
  console.error('usage: npx tsx bench/selection-split.ts <dataset dir with val/<class>/ folders>');
  process.exit(2);
}
const classes = readdirSync(join(root, 'val'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const items = classes.flatMap((name, label) =>
  readdirSync(join(root, 'val', name))
    .sort()
    .map((file) => ({ relPath: `val/${name}/${file}`, label })),
);
const split = selectionSplit(items);
process.stdout.write(`${JSON.stringify(Object.fromEntries(items.map((item, i) => [item.relPath, split[i]])))}\n`);
