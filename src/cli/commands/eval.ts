import { parseArgs } from 'node:util';
import { openLab } from '../lab-context';
import { usageFailure } from '../failure';
import { FlagError } from '../number-flags';
import { printJson } from '../output';
import { pct } from '../run-follow';

export const evalUsage = `fixres eval <run-id> [--k-test K] [--json]   evaluate a run's checkpoint on its validation images at K_test`;

export async function evalCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'k-test': { type: 'string' }, json: { type: 'boolean' } },
  });
  const id = Number(positionals[0]);
  if (!Number.isInteger(id) || id <= 0) throw usageFailure(evalUsage);
  const lab = openLab();
  try {
    const run = lab.runs.get(id);
    const kTest = values['k-test'] === undefined ? run.config.kTest : Number(values['k-test']);
    if (!Number.isInteger(kTest) || kTest < 1 || kTest > 4096)
      throw new FlagError(`--k-test must be a whole number from 1 to 4096, got "${values['k-test']}"`);
    const result = await lab.runs.evaluate(id, { kTest });
    if (values.json) printJson({ runId: id, ...result, features: undefined });
    else {
      process.stdout.write(
        `run #${id} at K_test ${result.k}: top-1 ${pct(result.top1)}, top-5 ${pct(result.top5)}, loss ${result.loss.toFixed(4)} ` +
          `(${result.n} images, ${Math.round(result.imgPerSec)} img/s on ${result.backend})\n`,
      );
      const names = run.datasetId === null ? [] : lab.datasets.get(run.datasetId).classes.map((c) => c.name);
      result.perClassAccuracy.forEach((acc, c) =>
        process.stdout.write(`  ${(names[c] ?? `class ${c}`).padEnd(24)} ${pct(acc)}\n`),
      );
    }
    return 0;
  } finally {
    lab.close();
  }
}
