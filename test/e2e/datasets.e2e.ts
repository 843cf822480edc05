import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImageFolder, tempDir } from '../helpers/fixtures';
import { launchBrowser, openPage, screenshot, startApp } from './harness';

const t = tempDir('fixres-e2e-');
let browser: Browser;

beforeAll(async () => {
  await makeImageFolder(join(t.dir, 'pets'), { cat: 4, dog: 3, 'red fox': 2 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  t.cleanup();
});

describe('Datasets view (web mode, Chromium)', () => {
  it('opens a dataset by path and lists its classes with image counts', async () => {
    const app = await startApp(join(t.dir, 'home'));
    try {
      const { page, errors } = await openPage(browser, app.server.url);
      await page.getByRole('heading', { name: 'No dataset yet' }).waitFor();
      await screenshot(page, 'datasets-empty');
      expect(page.url()).not.toContain('token=');

      await page.getByLabel('Dataset folder').fill(join(t.dir, 'pets'));
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      const table = page.getByRole('table');
      await table.getByRole('cell', { name: 'red fox' }).waitFor();
      const rows = await table.locator('tbody tr').allInnerTexts();
      expect(rows.map((r) => r.split('\t').slice(0, 2))).toEqual([
        ['cat', '4'],
        ['dog', '3'],
        ['red fox', '2'],
      ]);
      await expect.poll(() => page.getByText('Web mode').count()).toBe(1);
      await screenshot(page, 'datasets-opened');
      expect(errors).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('shows the error where it happened for a folder that does not exist', async () => {
    const app = await startApp(join(t.dir, 'home-errors'));
    try {
      const { page, errors } = await openPage(browser, app.server.url);
      await page.getByLabel('Dataset folder').fill(join(t.dir, 'no-such-folder'));
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await expect.poll(() => page.getByRole('alert').innerText()).toContain('Folder not found');
      await screenshot(page, 'datasets-error');
      expect(errors).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('remembers the dataset after a restart, in the dark theme too', async () => {
    const app = await startApp(join(t.dir, 'home'));
    try {
      const { page, errors } = await openPage(browser, app.server.url, 'dark');
      await page.getByRole('table').getByRole('cell', { name: 'dog' }).waitFor();
      await screenshot(page, 'datasets-dark');
      expect(errors).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
