import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunConfig } from '../../src/shared/api/runs';
import { tempDir } from '../helpers/fixtures';
import { writePatternFolder } from '../helpers/pattern-images';
import { forceCpuBackend, launchBrowser, openPage, screenshot, startApp } from './harness';

const t = tempDir('fixres-e2e-runs-');
let restoreBackend = () => {};
let browser: Browser;
let app: Awaited<ReturnType<typeof startApp>>;
const ids: number[] = [];

beforeAll(async () => {
  restoreBackend = forceCpuBackend();
  await writePatternFolder(join(t.dir, 'patterns'), { perClass: 8, size: 12 });
  app = await startApp(join(t.dir, 'home'));
  const datasetId = (await (await app.lab.datasets.open(join(t.dir, 'patterns'))).scanned).id;
  const tiny = { datasetId, width: 0.25, kTrain: 8, epochs: 2, batchSize: 8 };
  for (const lr of [0.05, 0.2]) ids.push(app.lab.runs.start(RunConfig.parse({ ...tiny, lr, name: `patterns lr ${lr}` })).id);
  await app.lab.jobs.idle();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  t.cleanup();
  restoreBackend();
});

/** Page script: the text of the focused element when it is a button of an open dialog, else '' (or 'outside'). */
const FOCUSED_TEXT = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  return el.closest('dialog[open]') ? el.textContent.trim() : 'outside';
})()`;

describe('Runs view (web mode, Chromium)', () => {
  it('sorts, filters, opens a run by keyboard, compares two runs and deletes one after confirming', async () => {
    const { page, errors } = await openPage(browser, `${app.server.url}#/runs`);
    const table = page.getByRole('table', { name: 'Runs' });
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const firstIds = async () => (await rows.allInnerTexts()).map((r) => Number(r.split('\t')[1]));
    expect(await firstIds()).toEqual([ids[1], ids[0]]);

    await table.getByRole('button', { name: 'Name' }).click();
    await expect.poll(firstIds).toEqual([ids[0], ids[1]]);
    await expect.poll(() => table.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
    await page.getByLabel('Filter runs').fill('lr 0.2');
    await expect.poll(firstIds).toEqual([ids[1]]);
    await page.getByLabel('Filter runs').fill('');
    await screenshot(page, 'runs');

    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/runs/${ids[1]}$`));
    await page.getByRole('heading', { name: /patterns lr 0\.2/ }).waitFor();
    await expect.poll(() => page.locator('table.epochs tbody tr').count()).toBe(4);
    await screenshot(page, 'run-detail', { wholeView: true });
    await page.goBack();

    // Space ticks the focused row for comparison (rows are sorted by name: ids[0] first).
    await rows.first().focus();
    await page.keyboard.press(' ');
    await expect.poll(() => table.getByLabel(`Compare run #${ids[0]}`).isChecked()).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press(' ');
    await expect.poll(() => table.getByLabel(`Compare run #${ids[1]}`).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Compare 2 runs' }).click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/runs/compare/${ids[0]},${ids[1]}$`));
    const lrRow = page.locator('table.config tr', { has: page.getByRole('rowheader', { name: 'lr', exact: true }) });
    await expect.poll(() => lrRow.innerText()).toMatch(/lr\s+0\.05\s+0\.2/);
    await expect.poll(() => page.getByRole('img', { name: /^Accuracy by run\. #\d+ val: 2 points/ }).count()).toBe(1);
    // Every compare chart has a title.
    for (const title of ['Accuracy per epoch', 'Loss per epoch', 'Accuracy against training time'])
      await expect.poll(() => page.getByRole('region', { name: title }).getByRole('img').count()).toBe(1);
    await screenshot(page, 'runs-compare', { wholeView: true });

    await page.goto(`${app.server.url}#/runs`);
    // By keyboard: Delete on a row asks, focus stays inside the dialog, Escape cancels and returns focus to the row.
    await rows.first().focus();
    await page.keyboard.press('Delete');
    const dialog = page.getByRole('dialog', { name: 'Delete run' });
    await dialog.waitFor();
    await expect.poll(() => page.evaluate<string>(FOCUSED_TEXT)).toBe('Cancel');
    for (const expected of ['Delete run', 'Cancel', 'Delete run']) {
      await page.keyboard.press('Tab');
      // Past the last button the browser may briefly focus nothing (its own UI) before wrapping: never the page behind.
      if ((await page.evaluate<string>(FOCUSED_TEXT)) === '') await page.keyboard.press('Tab');
      await expect.poll(() => page.evaluate<string>(FOCUSED_TEXT)).toBe(expected);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.evaluate<string>(`document.activeElement?.tagName ?? ''`)).toBe('TR');
    await expect.poll(() => rows.count()).toBe(2);
    await table.getByRole('button', { name: `Delete run #${ids[0]}` }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    await table.getByRole('button', { name: `Delete run #${ids[0]}` }).click();
    await dialog.getByRole('button', { name: 'Delete run' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(app.lab.runs.list().map((r) => r.id)).toEqual([ids[1]]);
    expect(errors).toEqual([]);
  });

  it('follows the OS switching to the dark theme while a run is open, charts included', async () => {
    const { page, errors } = await openPage(browser, `${app.server.url}#/runs/${ids[1]}`, 'light');
    await expect.poll(() => page.locator('table.epochs tbody tr').count()).toBe(4);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect
      .poll(() => page.evaluate<string>(`getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()`))
      .toBe('#12151b');
    await screenshot(page, 'run-detail-dark');
    expect(errors).toEqual([]);
  });
});
