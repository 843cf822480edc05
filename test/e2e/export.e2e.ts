import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPage, screenshot } from './harness';
import { tinyRun, usePatternApp } from './pattern-app';

let runId = 0;
const ctx = usePatternApp('fixres-e2e-export-', {
  size: 12,
  prepare: async ({ app }) => {
    runId = app.lab.runs.start(tinyRun(ctx, 'to export')).id;
    await app.lab.jobs.idle();
  },
});

describe('Run export (web mode, Chromium)', () => {
  it('writes the chosen formats to a typed folder, refuses to overwrite unless asked, and lists the files', async () => {
    const { page, errors } = await openPage(ctx.browser, `${ctx.app.server.url}#/runs/${runId}`);
    await page.getByRole('button', { name: 'Export…' }).click();
    const form = page.getByRole('form', { name: `Export run #${runId}` });
    await form.getByLabel('JSON (everything)').uncheck();
    await form.getByLabel('Model (tfjs + preprocessing.json)').check();
    await expect.poll(() => form.getByRole('button', { name: 'Export', exact: true }).isDisabled()).toBe(true);
    const dir = join(ctx.dir, 'out');
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
    await expect.poll(() => form.getByRole('alert').count()).toBe(0);
    await expect.poll(() => files.innerText()).toMatch(/^epochs\.csv csv/m);

    // Escape closes the panel from inside it and puts focus back on its button.
    await form.getByLabel('Folder').focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => form.count()).toBe(0);
    await expect.poll(() => page.evaluate<string>(`document.activeElement?.textContent ?? ''`)).toBe('Export…');
    expect(errors).toEqual([]);
  }, 120_000);
});
