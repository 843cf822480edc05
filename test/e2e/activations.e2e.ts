import { describe, expect, it } from 'vitest';
import { SweepRequest } from '../../src/shared/api/sweeps';
import { openPage, screenshot } from './harness';
import { tinyRun, usePatternApp } from './pattern-app';

let runId = 0;
let unsweptId = 0;
const ctx = usePatternApp('fixres-e2e-activations-', {
  size: 16,
  timeoutMs: 180_000,
  prepare: async ({ app }) => {
    runId = app.lab.runs.start(tinyRun(ctx, 'swept')).id;
    unsweptId = app.lab.runs.start(tinyRun(ctx, 'not swept')).id;
    await app.lab.jobs.idle();
    const sweep = app.lab.sweeps.start(SweepRequest.parse({ runId, adapter: 'frechet', kTests: [6, 8, 12, 16] }));
    expect((await app.lab.sweeps.settled(sweep.id)).status).toBe('completed');
  },
});

describe('Activations view (web mode, Chromium)', () => {
  it('overlays the histograms and CDFs per K_test with dashed Fréchet fits and tabulates the statistics', async () => {
    const { page, errors } = await openPage(ctx.browser, `${ctx.app.server.url}#/runs/${runId}`);
    await page.getByRole('link', { name: 'Activations', exact: true }).last().click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/activations/${runId}$`));
    const table = page.getByRole('table', { name: 'Activation statistics' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(5);
    expect((await table.locator('tbody th').allInnerTexts()).slice(0, 4)).toEqual(['6', '8', '12', '16']);
    expect(await table.locator('tbody tr').last().innerText()).toMatch(/train ref\. \(8\)/);
    const cdf = page.getByRole('img', { name: /^Pooled-activation CDF per K_test\./ });
    await expect.poll(() => cdf.getAttribute('aria-label')).toMatch(/K_test 16 fit: 60 points, last [\d.]+/);

    await page.getByLabel('Bins').fill('20');
    await page.getByLabel('Bins').press('Enter');
    await expect.poll(() => cdf.getAttribute('aria-label')).toMatch(/K_test 6: 20 points/);
    // The user picks which sizes are drawn (ten overlaid curves are unreadable).
    const drawn = page.getByRole('group', { name: 'K_test drawn' });
    await drawn.getByRole('button', { name: 'All' }).click();
    await expect.poll(() => cdf.getAttribute('aria-label')).toMatch(/K_test 12: 20 points/);
    await drawn.getByLabel('12', { exact: true }).uncheck();
    await expect.poll(() => cdf.getAttribute('aria-label')).not.toMatch(/K_test 12:/);
    expect(await drawn.getByLabel('16', { exact: true }).isChecked()).toBe(true);
    await screenshot(page, 'activations', { wholeView: true });
    expect(errors).toEqual([]);
  });

  it('tells what to do for a run without a sweep', async () => {
    const { page, errors } = await openPage(ctx.browser, `${ctx.app.server.url}#/activations/${unsweptId}`);
    await page.getByRole('heading', { name: 'No activation statistics yet' }).waitFor();
    await screenshot(page, 'activations-no-sweep');
    await page.getByRole('link', { name: 'Resolution view' }).click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/resolution/${unsweptId}$`));
    expect(errors).toEqual([]);
  });
});
