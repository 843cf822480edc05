import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = resolve(__dirname, '../../bin/fixres.mjs');

/**
 * Runs `bin/fixres.mjs` with FIXRES_HOME set (and optionally another working directory or more
 * environment), returning the exit code and both streams (never throws on exit ≠ 0).
 */
export async function runFixres(
  args: string[],
  home: string,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...options.env, FIXRES_HOME: home },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs the CLI's `main` in this process (no Node start-up, no bundle), capturing what it writes. */
export async function runMain(argv: string[], home: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src/cli/index');
  const out = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  const previousHome = process.env.FIXRES_HOME;
  process.env.FIXRES_HOME = home;
  process.stdout.write = ((chunk: string) => ((out.stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((out.stderr += chunk), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), ...out };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    if (previousHome === undefined) delete process.env.FIXRES_HOME;
    else process.env.FIXRES_HOME = previousHome;
  }
}
