import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fixtures';
import { launchBrowser, openPage, screenshot, startApp } from './harness';

const t = tempDir('fixres-e2e-shell-');
let browser: Browser;
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  // A run folder another database left (an emptied or replaced lab.sqlite): the lab reports it.
  mkdirSync(join(t.dir, 'home', 'runs', '7'), { recursive: true });
  app = await startApp(join(t.dir, 'home'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  t.cleanup();
});

describe('App shell (web mode, Chromium)', () => {
  it('moves between views by keyboard, says what to do in empty views, and keeps deep links across a reload', async () => {
    const { page, errors } = await openPage(browser, app.server.url);
    await page.setViewportSize({ width: 1100, height: 700 });
    const nav = page.getByRole('navigation', { name: 'Views' });
    await nav.getByRole('link', { name: 'Models' }).focus(); // the link before Crop Lab
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(/#\/crop-lab$/);
    await expect.poll(() => nav.getByRole('link', { name: 'Crop Lab' }).getAttribute('aria-current')).toBe('page');
    await page.getByText('No dataset is ready yet').waitFor();
    expect(await page.getByTestId('k-test-star').innerText()).toMatch(/^\d+/);
    await screenshot(page, 'shell-crop-lab-no-dataset');

    await page.keyboard.press('Shift+Tab');
    await nav.getByRole('link', { name: 'Train' }).press('Enter');
    await page.getByRole('heading', { name: 'No dataset to train on yet' }).waitFor();
    await nav.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('heading', { name: 'No runs yet' }).waitFor();
    // No horizontal scrolling at the smallest supported window.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1100);
    await screenshot(page, 'shell-runs-empty');
    // The other views say what to do first, too.
    await nav.getByRole('link', { name: 'Workflow' }).click();
    await page.getByRole('heading', { name: 'No dataset yet' }).waitFor();
    for (const view of ['Resolution', 'Activations']) {
      await nav.getByRole('link', { name: view }).click();
      await page.getByRole('heading', { name: view, level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'No trained run yet' }).waitFor();
      await expect.poll(() => page.getByRole('main').getByRole('link', { name: 'Train', exact: true }).count()).toBe(1);
    }
    await screenshot(page, 'shell-activations-empty');

    await page.goto(`${app.server.url}#/runs/99`);
    await page.getByRole('heading', { name: 'Run #99 does not exist' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Run #99 does not exist' }).waitFor();
    await page.goBack();
    expect(errors).toEqual([]);
  });

  it('shows in the status bar what the lab found at start: run folders another database left', async () => {
    const { page, errors } = await openPage(browser, app.server.url);
    const notice = page.getByRole('status').filter({ hasText: 'Found 1 run folder from another database' });
    await notice.waitFor();
    expect(await notice.getAttribute('title')).toBe(
      `Found 1 run folder from another database: kept in ${join(t.dir, 'home', 'runs')} (7). ` +
        'This database never writes into them; its runs get folders of their own.',
    );
    await screenshot(page, 'shell-foreign-run-folders');
    expect(errors).toEqual([]);
  });

  it('says which stored row it cannot read instead of showing it half-read', async () => {
    // A run row no version of FixRes Lab wrote (as a hand edit or a foreign database could hold).
    const { lastInsertRowid } = app.lab.db
      .prepare(`INSERT INTO runs (kind, name, status, config) VALUES ('train', 'damaged', 'failed', 'null')`)
      .run();
    const { page, errors } = await openPage(browser, `${app.server.url}#/runs`);
    await page
      .getByText(`The stored run configuration of run #${lastInsertRowid} matches no version FixRes Lab ever wrote`)
      .waitFor();
    await screenshot(page, 'shell-unreadable-row');
    app.lab.db.prepare(`DELETE FROM runs WHERE name = 'damaged'`).run();
    expect(errors).toEqual([]);
  });

  it('shows a view that fails to render as an error card with the status bar counting it, and the app keeps working', async () => {
    const { page, errors } = await openPage(browser, `${app.server.url}#/runs`, 'dark');
    await page.getByRole('heading', { name: 'Runs', exact: true }).waitFor();
    // A run the view cannot render (stored rows are checked, so it comes as an event).
    app.lab.events.emit('run.updated', { id: 999, name: 'damaged', status: 'failed', config: null } as never);
    await page.getByRole('heading', { name: 'Runs stopped working' }).waitFor();
    await page.getByRole('button', { name: '⚠ 1 error' }).click();
    await page.getByRole('list', { name: 'Errors' }).getByText('Runs').waitFor();
    await screenshot(page, 'shell-error-boundary-dark');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('list', { name: 'Errors' }).count()).toBe(0);
    await expect.poll(() => page.evaluate<string>(`document.activeElement?.textContent?.trim() ?? ''`)).toBe('⚠ 1 error');
    await page.getByRole('link', { name: 'Crop Lab' }).click();
    await page.getByRole('heading', { name: 'Crop Lab' }).waitFor();
    expect(errors).toEqual([]);
  });
});
