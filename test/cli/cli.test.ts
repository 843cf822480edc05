import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runFixres as fixres } from '../helpers/cli';
import { makeImageFolder, tempDir } from '../helpers/fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('fixres CLI', () => {
  it('scans a dataset and prints its classes as JSON, stored in $FIXRES_HOME', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    await makeImageFolder(join(t.dir, 'flowers'), { rose: 2, tulip: 1 });
    const home = join(t.dir, 'home');
    const r = await fixres(['dataset', 'scan', join(t.dir, 'flowers'), '--json'], home);
    expect(r.code).toBe(0);
    const dataset = JSON.parse(r.stdout);
    expect(dataset).toMatchObject({ name: 'flowers', status: 'ready', imageCount: 3 });
    expect(dataset.classes.map((c: { name: string }) => c.name)).toEqual(['rose', 'tulip']);
    const again = await fixres(['dataset', 'scan', join(t.dir, 'flowers'), '--json'], home);
    expect(JSON.parse(again.stdout).id).toBe(dataset.id);
  });

  it('exits non-zero with a clear message for a missing folder', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const r = await fixres(['dataset', 'scan', join(t.dir, 'missing')], join(t.dir, 'home'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error: Folder not found/);
  });

  it('prints usage for an unknown command', async () => {
    const r = await fixres(['frobnicate'], '/nonexistent');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('exits quietly when the program reading its output has gone (`fixres … | head`)', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const child = spawn(
      process.execPath,
      [resolve(__dirname, '../../bin/fixres.mjs'), 'crops', '--width', '500', '--height', '375', '--n', '256', '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, FIXRES_HOME: join(t.dir, 'home') }, // never the user's own lab
      },
    );
    child.stdout.destroy(); // the reader is gone before the first write: every write fails with EPIPE
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
