import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFixres } from '../helpers/cli';
import { makeImageFolder, tempDir } from '../helpers/fixtures';
import { launchBrowser, openPage, RENDERER_DIR, screenshot } from './harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Whether `npm start` here would open the desktop window (then this web-mode fallback test does not apply). */
function electronInstalled(): boolean {
  const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  return existsSync(pathFile) && existsSync(join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

/** Resolves with the first `http://…` URL the process prints; rejects if it exits first. */
function printedUrl(child: ChildProcess, output: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output.join(''));
      if (url) resolve(url[0]);
    });
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before printing a URL:\n${output.join('')}`)));
  });
}

const t = tempDir('fixres-e2e-start-');
const home = join(t.dir, 'home');
let browser: Browser;
let child: ChildProcess | undefined;

beforeAll(async () => {
  await makeImageFolder(join(t.dir, 'birds'), { heron: 3, 'blue tit': 2, wren: 2 });
  browser = await launchBrowser();
});

afterAll(async () => {
  child?.kill('SIGTERM');
  await browser?.close();
  t.cleanup();
});

describe('npm start without the Electron binary (web mode, Chromium)', () => {
  it.skipIf(electronInstalled())(
    'says it starts web mode, prints a tokened URL, and the page shows the dataset opened earlier with its classes',
    async () => {
      expect(existsSync(join(RENDERER_DIR, 'index.html')), 'Build the renderer first: npm run build').toBe(true);
      // The dataset is opened from the CLI first: npm start must show what an earlier session remembered.
      const scan = await runFixres(['dataset', 'scan', join(t.dir, 'birds'), '--json'], home);
      expect(scan.code, scan.stderr).toBe(0);

      // `--no-build`: the suite built out/ already, and rebuilding it would pull files from under other tests.
      child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--no-build'], {
        cwd: ROOT,
        env: { ...process.env, FIXRES_HOME: home, FIXRES_NO_ELECTRON_DOWNLOAD: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output: string[] = [];
      const url = await printedUrl(child, output);
      expect(output.join('')).toContain('Starting web mode instead of the desktop window');

      const { page, errors } = await openPage(browser, url);
      await page.getByRole('button', { name: /birds/ }).first().click();
      const table = page.getByRole('table');
      await table.getByRole('cell', { name: 'blue tit' }).waitFor();
      await expect
        .poll(async () => (await table.locator('tbody tr').allInnerTexts()).map((r) => r.split('\t').slice(0, 2)))
        .toEqual([
          ['blue tit', '2'],
          ['heron', '3'],
          ['wren', '2'],
        ]);
      await screenshot(page, 'start-web-mode');
      expect(errors).toEqual([]);

      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      child = undefined;
    },
  );
});
