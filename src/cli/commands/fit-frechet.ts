import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fitFrechetColumn } from '../../lab';
import { commandLinePath } from '../../lab';
import { CliFailure } from '../failure';
import { FlagError, numberFlag } from '../number-flags';
import { printJson } from '../output';

export const fitFrechetUsage = `fixres fit-frechet --input FILE|- [--xi 0.3 | --free-xi] [--zeros auto|censored|include] [--json]
                                       fit a Fréchet (GEV) distribution to a column of numbers`;

export async function fitFrechetCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      input: { type: 'string' },
      xi: { type: 'string' },
      'free-xi': { type: 'boolean' },
      zeros: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  let xi: number | undefined;
  try {
    if (!values.input) throw new FlagError('--input is required (a file with one number per line, or - for stdin)');
    if (values.xi !== undefined && values['free-xi']) throw new FlagError('--xi fixes ξ and --free-xi fits it: give one');
    if (values.zeros !== undefined && !['auto', 'censored', 'include'].includes(values.zeros))
      throw new FlagError('--zeros must be auto, censored or include');
    xi = numberFlag('xi', values.xi);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    throw new FlagError(`${err.message}\n\nusage: ${fitFrechetUsage}`);
  }
  let text: string;
  try {
    text = readFileSync(values.input === '-' ? 0 : commandLinePath(values.input), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliFailure(
      `cannot read --input ${values.input}: ${code ?? (err as Error).message}`,
      code === 'ENOENT' ? 'NotFound' : 'Environment',
    );
  }
  const fit = fitFrechetColumn(text, {
    xi,
    freeXi: values['free-xi'] ?? false,
    zeros: (values.zeros ?? 'auto') as 'auto' | 'censored' | 'include',
  });
  if (values.json) printJson(fit);
  else
    process.stdout.write(
      [
        `Fréchet (GEV) fit of ${fit.n} values (${(100 * fit.zeroFraction).toFixed(1)} % exactly 0, zeros ${fit.zeros}):`,
        `  μ = ${fit.mu.toPrecision(6)}   σ = ${fit.sigma.toPrecision(6)}   ξ = ${fit.xi.toPrecision(4)}${fit.freeXi ? ' (fitted)' : ' (fixed)'}`,
        `  log-likelihood ${fit.logLikelihood.toFixed(3)}   KS distance ${fit.ks.toFixed(4)}` +
          `   ${fit.converged ? 'converged' : 'NOT converged'} after ${fit.iterations} iterations`,
        '',
      ].join('\n'),
    );
  return fit.converged ? 0 : 1;
}
