import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunConfig } from '../../src/shared/api/runs';
import { tempDir } from '../helpers/fixtures';
import { writePatternFolder } from '../helpers/pattern-images';
import { forceCpuBackend, launchBrowser, openPage, screenshot, startApp } from './harness';

const t = tempDir('fixres-e2e-export-');
let restoreBackend = () => {};
let browser: Browser;
let app: Awaited<ReturnType<typeof startApp>>;
let runId = 0;

beforeAll(async () => {
  restoreBackend = forceCpuBackend();
  await writePatternFolder(join(t.dir, 'patterns'), { perClass: 8, size: 12 });
  app = await startApp(join(t.dir, 'home'));
  const datasetId = (await (await app.lab.datasets.open(join(t.dir, 'patterns'))).scanned).id;
  runId = app.lab.runs.start(
    RunConfig.parse({ datasetId, width: 0.25, kTrain: 8, epochs: 1, batchSize: 8, name: 'to export' }),
  ).id;
  await app.lab.jobs.idle();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  t.cleanup();
  restoreBackend();
});

describe('Run export (web mode, Chromium)', () => {
  it('writes the chosen formats to a typed folder, refuses to overwrite unless asked, and lists the files', async () => {
    const { page, errors } = await openPage(browser, `${app.server.url}#/runs/${runId}`);
    await page.getByRole('button', { name: 'Export…' }).click();
    const form = page.getByRole('form', { name: `Export run #${runId}` });
    await form.getByLabel('JSON (everything)').uncheck();
    await form.getByLabel('Model (tfjs + preprocessing.json)').check();
    expect(await form.getByRole('button', { name: 'Export', exact: true }).isDisabled()).toBe(true);
    const dir = join(t.dir, 'out');
    await form.getByLabel('Folder').fill(dir);
    await form.getByRole('button', { name: 'Export', exact: true }).click();
    const files = form.getByRole('list', { name: 'Exported files' });
    await files.waitFor({ timeout: 60_000 });
    const listed = await files.innerText();
    expect(listed).toMatch(/^report\.html html/m);
    expect(listed).toMatch(/preprocessing\.json/);
    expect(listed).not.toMatch(/results\.json/);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    await screenshot(page, 'export');

    await form.getByRole('button', { name: 'Export', exact: true }).click();
    await form.getByRole('alert').waitFor();
    expect(await form.getByRole('alert').innerText()).toMatch(/already holds .*allow overwriting/);
    await form.getByLabel('Replace files of an earlier export').check();
    await form.getByRole('button', { name: 'Export', exact: true }).click();
    await files.waitFor();
    expect(await form.getByRole('alert').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
