import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ModelRef } from '../../shared/api/models';
import { openLab } from '../lab-context';
import { FlagError, numberFlag } from '../number-flags';
import { printJson } from '../output';
import { request } from '../request';

export const predictUsage = `fixres predict --model ID|--run RUN [--k-test K] [--crop-pct C] [--top 5] IMAGE... [--json]
                 classify images (test transform at K_test; default: the model's test size): top classes with names`;

/** `fixres predict`: a model's (or a run's) logits, probabilities and top classes for image files. */
export async function predictCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      run: { type: 'string' },
      'k-test': { type: 'string' },
      'crop-pct': { type: 'string' },
      top: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!positionals.length || Boolean(values.model) === Boolean(values.run)) {
    throw new FlagError(`give --model or --run, and at least one image\nusage: ${predictUsage}`);
  }
  const id = numberFlag(values.model ? 'model' : 'run', values.model ?? values.run)!;
  const model: ModelRef = values.model ? { modelId: id } : { runId: id };
  const kTest = numberFlag('k-test', values['k-test']);
  const cropPct = numberFlag('crop-pct', values['crop-pct']);
  const topK = numberFlag('top', values.top);
  const lab = openLab();
  try {
    const result = await request(
      lab,
      'models.predict',
      {
        model,
        files: positionals.map((p) => resolve(p)),
        ...(kTest !== undefined ? { kTest } : {}),
        ...(cropPct !== undefined ? { cropPct } : {}),
        ...(topK !== undefined ? { topK } : {}),
      },
      { kTest: 'k-test', cropPct: 'crop-pct', topK: 'top', files: 'IMAGE', model: values.model ? 'model' : 'run' },
    );
    if (values.json) printJson(result);
    else {
      process.stdout.write(`K_test ${result.kTest}, crop_pct ${result.cropPct} (${result.backend})\n`);
      for (const p of result.predictions) {
        const top = p.top.map((c) => `${c.className ?? `class ${c.index}`} ${(100 * c.probability).toFixed(1)}%`).join(', ');
        process.stdout.write(`${p.path}: ${top}\n`);
      }
    }
    return 0;
  } finally {
    lab.close();
  }
}
