import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImageFolder, tempDir } from '../helpers/fixtures';
import { brokenImages } from '../helpers/image-zoo';
import { canvasColourCount, launchBrowser, openPage, screenshot, startApp } from './harness';

const t = tempDir('fixres-e2e-');
let browser: Browser;

beforeAll(async () => {
  const pets = join(t.dir, 'pets');
  await makeImageFolder(pets, { cat: 4, dog: 3, 'red fox': 2 });
  const broken = await brokenImages();
  writeFileSync(join(pets, 'dog', 'truncated.jpg'), broken['truncated jpeg']!.bytes);
  writeFileSync(join(pets, 'cat', 'notes.txt'), 'not an image');
  copyFileSync(join(pets, 'cat', 'img-0.png'), join(pets, 'dog', 'copy-of-cat.png'));
  await makeImageFolder(join(t.dir, 'big'), { a: 300, b: 300 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  t.cleanup();
});

async function openFolder(page: Page, folder: string): Promise<void> {
  await page.getByLabel('Dataset folder').fill(folder);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
}

describe('Datasets view (web mode, Chromium)', () => {
  it('opens a dataset by path and lists its classes with image counts', async () => {
    const app = await startApp(join(t.dir, 'home'));
    try {
      const { page, errors } = await openPage(browser, app.server.url);
      await page.getByRole('heading', { name: 'No dataset yet' }).waitFor();
      await expect.poll(() => page.getByRole('button', { name: /Synthetic shapes/ }).count()).toBe(1);
      await screenshot(page, 'datasets-empty');
      expect(page.url()).not.toContain('token=');

      await openFolder(page, join(t.dir, 'pets'));
      const table = page.getByRole('table');
      await table.getByRole('cell', { name: 'red fox' }).waitFor();
      await expect.poll(() => page.getByRole('tab', { name: /Problems \(\d+\)/ }).count()).toBe(1);
      const rows = await table.locator('tbody tr').allInnerTexts();
      expect(rows.map((r) => r.split('\t').slice(0, 2))).toEqual([
        ['cat', '4'],
        ['dog', '4'],
        ['red fox', '2'],
      ]);
      await expect.poll(() => page.getByText('Web mode').count()).toBe(1);
      await expect.poll(() => page.getByRole('img', { name: 'Images per class: cat 4, dog 4, red fox 2.' }).count()).toBe(1);
      await screenshot(page, 'datasets-opened');
      expect(errors).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('lists problems with reasons, charts sizes, and shows thumbnails with a large preview', async () => {
    const app = await startApp(join(t.dir, 'home'));
    try {
      const { page, errors } = await openPage(browser, app.server.url);
      await page.getByRole('table').getByRole('cell', { name: 'dog' }).waitFor();

      await page.getByRole('tab', { name: /Problems/ }).click();
      const panel = page.getByRole('tabpanel');
      await panel.getByText('dog/truncated.jpg').waitFor();
      expect(await panel.innerText()).toMatch(/truncated or corrupt/);
      expect(await panel.innerText()).toMatch(/across classes/);
      expect(await panel.innerText()).toMatch(/cat\/notes\.txt\s+not an image file/);
      await screenshot(page, 'datasets-problems');

      // Keyboard: arrow keys move between tabs.
      await page.getByRole('tab', { name: /Problems/ }).focus();
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => page.getByRole('tab', { name: 'Sizes & formats' }).getAttribute('aria-selected')).toBe('true');
      await panel.getByText('Formats').waitFor();
      await expect.poll(() => panel.locator('canvas').count()).toBe(2);
      await expect.poll(() => panel.getByRole('img', { name: /^Image sizes: .*16 × 12: \d+ images/ }).count()).toBe(1);
      await screenshot(page, 'datasets-sizes');
      // The charts follow the OS into the dark theme: the bars take the dark accent colour.
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect
        .poll(() => page.evaluate<number>(canvasColourCount('figure[aria-label^="Images:"] canvas', '#6b9cff')))
        .toBeGreaterThan(50);
      await screenshot(page, 'datasets-sizes-dark');
      await page.emulateMedia({ colorScheme: 'light' });

      await page.getByRole('tab', { name: 'Images' }).click();
      const thumbs = panel.locator('img[src^="data:image/webp"]');
      await expect.poll(() => thumbs.count()).toBe(4);
      await screenshot(page, 'datasets-images');
      await panel.getByRole('button', { name: /dog/ }).click();
      await panel.locator('button[title="dog/img-0.png"]').click();
      const dialog = page.getByRole('dialog', { name: 'Image preview' });
      await dialog.locator('img[src^="data:image/webp"]').waitFor();
      expect(await dialog.innerText()).toMatch(/dog\/img-0\.png[\s\S]*16 × 12/);
      await screenshot(page, 'datasets-preview');
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
      // Focus goes back to the tile that opened the preview.
      await expect.poll(() => page.evaluate<string>(`document.activeElement?.title ?? ''`)).toBe('dog/img-0.png');
      expect(errors).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('asks in the app dialog before forgetting a dataset: Escape keeps it, confirming removes it', async () => {
    await makeImageFolder(join(t.dir, 'birds'), { owl: 2, crow: 2 });
    const app = await startApp(join(t.dir, 'home-forget'));
    try {
      const { page, errors } = await openPage(browser, app.server.url);
      await openFolder(page, join(t.dir, 'pets'));
      await page.getByRole('table').getByRole('cell', { name: 'red fox' }).waitFor();
      await openFolder(page, join(t.dir, 'birds'));
      await page.getByRole('table').getByRole('cell', { name: 'owl' }).waitFor();
      const list = page.getByRole('list', { name: 'Opened datasets' });
      await expect.poll(() => list.getByRole('listitem').count()).toBe(2);

      const forget = page.getByRole('button', { name: 'Forget', exact: true });
      await forget.click();
      const dialog = page.getByRole('dialog', { name: 'Forget dataset' });
      await expect.poll(() => dialog.count()).toBe(1);
      await expect
        .poll(() => dialog.innerText())
        .toMatch(
          /Forget “birds”\?[\s\S]*files on disk are not touched\. Runs and workflows trained on it keep their results[\s\S]*cannot be swept, fine-tuned, evaluated or resumed until you open this folder again/,
        );
      await screenshot(page, 'datasets-forget-confirm');
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
      // Focus goes back to the Forget button; the dataset stays.
      await expect.poll(() => page.evaluate<string>(`document.activeElement?.textContent?.trim() ?? ''`)).toBe('Forget');
      await expect
        .poll(() => list.getByRole('listitem').allInnerTexts())
        .toEqual([expect.stringMatching(/^pets/), expect.stringMatching(/^birds/)]);

      await forget.click();
      await dialog.getByRole('button', { name: 'Forget dataset' }).click();
      await expect.poll(() => list.getByRole('listitem').allInnerTexts()).toEqual([expect.stringMatching(/^pets/)]);
      await expect.poll(() => dialog.count()).toBe(0);
      await expect.poll(() => app.lab.datasets.list().map((d) => d.name)).toEqual(['pets']);
      expect(errors).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('shows scan progress and cancels a scan', async () => {
    const app = await startApp(join(t.dir, 'home-cancel'));
    try {
      const { page, errors } = await openPage(browser, app.server.url);
      await openFolder(page, join(t.dir, 'big'));
      const cancel = page.getByRole('button', { name: 'Cancel scan' });
      await cancel.click();
      await expect.poll(() => page.getByRole('alert').allInnerTexts()).toContainEqual(expect.stringMatching(/Scan cancelled/));
      await screenshot(page, 'datasets-cancelled');
      await page.getByRole('button', { name: 'Rescan' }).click();
      await page.getByText(/Reading images… \d+ of 600/).waitFor();
      // Forget waits for the scan to end (or to be cancelled).
      const forget = page.getByRole('button', { name: 'Forget', exact: true });
      expect(await forget.isDisabled()).toBe(true);
      await screenshot(page, 'datasets-scanning');
      await page.getByRole('table').getByRole('cell', { name: '300' }).first().waitFor({ timeout: 60_000 });
      await expect.poll(() => forget.isDisabled()).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('shows the error where it happened for a folder that does not exist', async () => {
    const app = await startApp(join(t.dir, 'home-errors'));
    try {
      const { page, errors } = await openPage(browser, app.server.url);
      await openFolder(page, join(t.dir, 'no-such-folder'));
      await expect.poll(() => page.getByRole('alert').innerText()).toContain('Folder not found');
      await screenshot(page, 'datasets-error');
      expect(errors).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('browses the lab’s disk for a folder inside the allowed roots and opens it (web mode without a shared disk)', async () => {
    const previous = process.env.FIXRES_BROWSE_ROOTS;
    process.env.FIXRES_BROWSE_ROOTS = t.dir;
    const app = await startApp(join(t.dir, 'home-browse'));
    try {
      const { page, errors } = await openPage(browser, app.server.url);
      await page.getByRole('button', { name: 'Browse…' }).click();
      const dialog = page.getByRole('dialog', { name: /Choose a dataset folder/ });
      await dialog.getByRole('button', { name: t.dir }).click();
      await dialog.getByRole('button', { name: /pets/ }).click();
      await dialog.getByRole('button', { name: /cat/ }).waitFor();
      await screenshot(page, 'datasets-browse');
      await dialog.getByRole('button', { name: '↑ Up' }).click();
      await dialog.getByRole('button', { name: '↑ All roots' }).waitFor(); // the root: nothing above it to see
      await dialog.getByRole('button', { name: /pets/ }).click();
      await dialog.getByRole('button', { name: 'Open this folder' }).click();
      await page.getByRole('table').getByRole('cell', { name: 'red fox' }).waitFor();
      // A typed path outside the roots is refused with what to do.
      await page.getByLabel('Dataset folder').fill('/');
      await page.getByRole('button', { name: 'Browse…' }).click();
      await expect.poll(() => page.getByRole('alert').first().innerText()).toMatch(/outside the folders .* FIXRES_BROWSE_ROOTS/);
      expect(errors).toEqual([]);
    } finally {
      await app.stop();
      if (previous === undefined) delete process.env.FIXRES_BROWSE_ROOTS;
      else process.env.FIXRES_BROWSE_ROOTS = previous;
    }
  });

  it('generates and opens the synthetic sample dataset, in the dark theme', async () => {
    const app = await startApp(join(t.dir, 'home-sample'));
    try {
      const { page, errors } = await openPage(browser, app.server.url, 'dark');
      // Preparing a sample is a long task: it shows progress and can be cancelled.
      await page.getByRole('button', { name: /Synthetic shapes/ }).click();
      await page.getByText(/Preparing Synthetic shapes…\s+\d+ of 5,000 images/).waitFor();
      // The status bar says so too (it is no compute job, but it is work going on).
      await expect.poll(() => page.getByTestId('background-work').innerText()).toBe('Preparing Synthetic shapes');
      await page.getByRole('button', { name: 'Cancel sample' }).click();
      await expect.poll(() => page.getByRole('alert').allInnerTexts()).toContainEqual(expect.stringMatching(/cancelled/));
      await expect.poll(() => page.getByRole('button', { name: 'Cancel sample' }).count()).toBe(0);
      await screenshot(page, 'datasets-sample-cancelled-dark');
      await page.getByRole('button', { name: /Synthetic shapes/ }).click();
      await page.getByText(/Preparing Synthetic shapes/).waitFor();
      await page.getByRole('table').getByRole('cell', { name: 'hexagon' }).waitFor({ timeout: 90_000 });
      await expect.poll(() => page.getByText('ready', { exact: true }).count(), { timeout: 60_000 }).toBe(1);
      await page.getByRole('tab', { name: 'Images' }).click();
      // Only tiles in view load their thumbnails (lazy loading).
      await expect
        .poll(() => page.locator('img[src^="data:image/webp"]').count(), { timeout: 30_000 })
        .toBeGreaterThanOrEqual(10);
      await screenshot(page, 'datasets-sample-dark');
      expect(errors).toEqual([]);
    } finally {
      await app.stop();
    }
  }, 180_000);
});
