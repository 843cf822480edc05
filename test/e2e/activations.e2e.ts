import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunConfig } from '../../src/shared/api/runs';
import { SweepRequest } from '../../src/shared/api/sweeps';
import { tempDir } from '../helpers/fixtures';
import { writePatternFolder } from '../helpers/pattern-images';
import { forceCpuBackend, launchBrowser, openPage, screenshot, startApp } from './harness';

const t = tempDir('fixres-e2e-activations-');
let restoreBackend = () => {};
let browser: Browser;
let app: Awaited<ReturnType<typeof startApp>>;
let runId = 0;
let unsweptId = 0;

beforeAll(async () => {
  restoreBackend = forceCpuBackend();
  await writePatternFolder(join(t.dir, 'patterns'), { perClass: 8, size: 16 });
  app = await startApp(join(t.dir, 'home'));
  const datasetId = (await (await app.lab.datasets.open(join(t.dir, 'patterns'))).scanned).id;
  const config = { datasetId, width: 0.25, kTrain: 8, epochs: 1, batchSize: 8 };
  runId = app.lab.runs.start(RunConfig.parse({ ...config, name: 'swept' })).id;
  unsweptId = app.lab.runs.start(RunConfig.parse({ ...config, name: 'not swept' })).id;
  await app.lab.jobs.idle();
  const sweep = app.lab.sweeps.start(SweepRequest.parse({ runId, adapter: 'frechet', kTests: [6, 8, 12, 16] }));
  expect((await app.lab.sweeps.settled(sweep.id)).status).toBe('completed');
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  t.cleanup();
  restoreBackend();
});

describe('Activations view (web mode, Chromium)', () => {
  it('overlays the histograms and CDFs per K_test with dashed Fréchet fits and tabulates the statistics', async () => {
    const { page, errors } = await openPage(browser, `${app.server.url}#/runs/${runId}`);
    await page.getByRole('link', { name: 'Activations', exact: true }).last().click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/activations/${runId}$`));
    const table = page.getByRole('table', { name: 'Activation statistics' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(5);
    expect((await table.locator('tbody th').allInnerTexts()).slice(0, 4)).toEqual(['6', '8', '12', '16']);
    expect(await table.locator('tbody tr').last().innerText()).toMatch(/train ref\. \(8\)/);
    const cdf = page.getByRole('img', { name: /^Pooled-activation CDF per K_test\./ });
    expect(await cdf.getAttribute('aria-label')).toMatch(/K_test 16 fit: 60 points, last [\d.]+/);

    await page.getByLabel('Bins').fill('20');
    await page.getByLabel('Bins').press('Enter');
    await expect.poll(() => cdf.getAttribute('aria-label')).toMatch(/K_test 6: 20 points/);
    await screenshot(page, 'activations', { wholeView: true });
    expect(errors).toEqual([]);
  });

  it('tells what to do for a run without a sweep', async () => {
    const { page, errors } = await openPage(browser, `${app.server.url}#/activations/${unsweptId}`);
    await page.getByRole('heading', { name: 'No activation statistics yet' }).waitFor();
    await page.getByRole('link', { name: 'Resolution view' }).click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/resolution/${unsweptId}$`));
    expect(errors).toEqual([]);
  });
});
