import { describe, expect, it } from 'vitest';
import { hparamFlags } from '../../src/cli/hparam-flags';
import { commandHelp, main } from '../../src/cli/index';
import { FinetuneRequest } from '../../src/shared/api/finetune';
import { RunConfig } from '../../src/shared/api/runs';
import { SweepRequest } from '../../src/shared/api/sweeps';
import { WorkflowRequest } from '../../src/shared/api/workflows';
import { runFixres } from '../helpers/cli';

const COMMANDS = [
  'dataset',
  'crops',
  'doctor',
  'serve',
  'analyze',
  'fit-frechet',
  'train',
  'runs',
  'resume',
  'eval',
  'sweep',
  'finetune',
  'workflow',
  'speed',
];

async function captured(argv: string[]): Promise<{ code: number; stdout: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let stdout = '';
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  try {
    return { code: await main(argv), stdout };
  } finally {
    process.stdout.write = write;
  }
}

describe('fixres <command> --help', () => {
  it.each(COMMANDS)('prints the usage of %s and exits 0, with --help or -h anywhere before "--"', async (name) => {
    for (const argv of [
      [name, '--help'],
      [name, '-h'],
      [name, 'list', '--json', '--help'],
    ]) {
      const r = await captured(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout).toBe(commandHelp(name));
      expect(r.stdout).toMatch(new RegExp(`^usage: fixres ${name}`));
    }
  });

  it.each([
    ['train', RunConfig],
    ['finetune', FinetuneRequest],
    ['workflow', WorkflowRequest],
    ['sweep', SweepRequest],
  ] as const)('lists every flag %s takes from the schema, one per line', (name, schema) => {
    const help = commandHelp(name)!;
    for (const { flag } of hparamFlags(schema)) expect(help).toMatch(new RegExp(`^ {2}--${flag}\\b`, 'm'));
    expect(help).toMatch(/^ {2}--json\b/m);
  });

  it('says so for an unknown command, and `fixres help <command>` is the same as --help', async () => {
    expect(commandHelp('frobnicate')).toBeNull();
    expect((await captured(['help', 'sweep'])).stdout).toBe(commandHelp('sweep'));
  });

  it('works from the installed binary (exit code 0, usage on stdout)', async () => {
    const r = await runFixres(['finetune', '--help'], '/nonexistent');
    expect(r).toMatchObject({ code: 0, stdout: commandHelp('finetune'), stderr: '' });
  });

  it('starts from the built JavaScript bundle, not the TypeScript sources through tsx', async () => {
    const r = await runFixres(['finetune', '--help'], '/nonexistent', { env: { FIXRES_CLI_DEBUG: '1' } });
    expect(r).toMatchObject({ code: 0, stdout: commandHelp('finetune') });
    expect(r.stderr).toMatch(/^fixres: running the bundle .*[/\\]out[/\\]cli[/\\][^/\\]+[/\\]fixres\.js$/m);
    expect(r.stderr).not.toMatch(/running from source/);
  });
});
