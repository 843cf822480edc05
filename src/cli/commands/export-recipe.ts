import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openLab } from '../lab-context';
import { FlagError } from '../number-flags';
import { printJson } from '../output';
import { request } from '../request';

export const exportRecipeUsage = `fixres runs export-recipe <id> --format torchrun --out DIR [--force] [--json]
                 train.py + recipe.json (+ init.safetensors for a fine-tune): the run for PyTorch's torchrun`;

/** `fixres runs export-recipe`: a run as a PyTorch training script, to train where the GPUs are. */
export async function exportRecipeCommand(args: string[]): Promise<number> {
  // Failures (bad flags included) are reported by src/cli/failure.ts, as JSON with --json.
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'torchrun' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(id) || id <= 0 || !values.out)
    throw new FlagError(`give one run id and --out DIR\nusage: ${exportRecipeUsage}`);
  const lab = openLab();
  try {
    const body = { id, format: values.format as 'torchrun', dir: resolve(values.out), force: Boolean(values.force) };
    const result = await request(lab, 'runs.exportRecipe', body, { format: 'format', dir: 'out', force: 'force' });
    if (values.json) printJson(result);
    else {
      process.stdout.write(`wrote ${result.files.join(', ')} to ${result.dir}\n`);
      process.stdout.write(
        `run it: torchrun --standalone --nproc_per_node N ${resolve(result.dir, 'train.py')} --data IMAGEFOLDER --out OUT\n` +
          `bring it back: fixres model import OUT/model.safetensors\n`,
      );
    }
    return 0;
  } finally {
    lab.close();
  }
}
