import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fixtures';
import { writePatternFolder } from '../helpers/pattern-images';
import { forceCpuBackend, launchBrowser, openPage, screenshot, startApp } from './harness';

const t = tempDir('fixres-e2e-train-');
let restoreBackend = () => {};
let browser: Browser;
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  // The pure-JS backend trains everywhere; a tiny model at K=8 takes a few seconds.
  restoreBackend = forceCpuBackend();
  await writePatternFolder(join(t.dir, 'patterns'), { perClass: 12, size: 12 });
  app = await startApp(join(t.dir, 'home'));
  await (
    await app.lab.datasets.open(join(t.dir, 'patterns'))
  ).scanned;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  t.cleanup();
  restoreBackend();
});

async function fill(page: import('playwright-core').Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

describe('Train view (web mode, Chromium)', () => {
  it('validates the form per field, starts a real tiny run, shows its progress and the finished run', async () => {
    const { page, errors } = await openPage(browser, `${app.server.url}#/train`);
    await page.getByRole('heading', { name: 'Nothing training' }).waitFor();
    await expect.poll(() => page.getByLabel('Dataset').inputValue()).not.toBe('');

    await fill(page, 'K_train (px)', '0');
    await fill(page, 'Batch size', '2.5');
    await expect.poll(() => page.locator('#run-kTrain-error').innerText()).toBe('Must be ≥ 1');
    await expect.poll(() => page.locator('#run-batchSize-error').innerText()).toBe('Must be a whole number');
    await expect.poll(() => page.getByLabel('K_train (px)').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'train-invalid');
    await page.getByRole('button', { name: 'Start training' }).click();
    expect(page.url()).toMatch(/#\/train$/);

    await fill(page, 'K_train (px)', '8');
    await fill(page, 'Batch size', '4');
    await fill(page, 'Epochs', '2');
    await fill(page, 'Learning rate', '0.05');
    await fill(page, 'Width ×', '0.25');
    await expect.poll(() => page.locator('.field-error').count()).toBe(0);

    // Record every progress value the bar shows, to prove it moved while the run trained.
    await page.evaluate(`(() => {
      const seen = (window.progressSeen = []);
      new MutationObserver(() => {
        const value = document.querySelector('[role=progressbar][aria-label="Run progress"]')?.getAttribute('aria-valuenow');
        if (value) seen.push(Number(value));
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    })()`);
    await page.getByRole('button', { name: 'Start training' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/train\/\d+$/);
    const badge = page.getByRole('article', { name: /^Run #\d+/ }).locator('.badge');
    await expect.poll(() => badge.innerText(), { timeout: 45_000 }).toBe('completed');

    const seen = await page.evaluate<number[]>('window.progressSeen');
    expect(seen, JSON.stringify(seen)).toSatisfy((s: number[]) => s.some((v) => v > 0 && v < 100));
    expect(await page.getByTestId('img-per-sec').innerText()).toMatch(/img\/s$/);
    await expect.poll(() => page.getByText('2 / 2').count()).toBe(1);
    await expect
      .poll(() => page.getByRole('img', { name: /^Loss per epoch\. train: \d+ points.*validation: 2 points/ }).count())
      .toBe(1);
    await screenshot(page, 'train', { wholeView: true });

    // A reload keeps the deep link to the run.
    await page.reload();
    await expect.poll(() => badge.innerText()).toBe('completed');
    expect(errors).toEqual([]);
  });

  it('cancels a running run, keeping a checkpoint, and resumes it', async () => {
    const { page, errors } = await openPage(browser, `${app.server.url}#/train`);
    await expect.poll(() => page.getByLabel('Dataset').inputValue()).not.toBe('');
    for (const [label, value] of [
      ['K_train (px)', '8'],
      ['Batch size', '4'],
      ['Epochs', '50'],
      ['Width ×', '0.25'],
    ] as const) {
      await fill(page, label, value);
    }
    await page.getByRole('button', { name: 'Start training' }).click();
    const monitor = page.getByRole('article', { name: /^Run #\d+/ });
    await expect.poll(() => monitor.locator('.badge').innerText(), { timeout: 30_000 }).toBe('running');
    // Away and back to Train (no run in the link): the live panel of the run training now, not a link to it.
    await page.getByRole('link', { name: 'Datasets' }).click();
    await page.getByRole('link', { name: 'Train' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/train$/);
    await expect.poll(() => monitor.locator('.badge').innerText(), { timeout: 30_000 }).toBe('running');
    expect(await page.getByText('is training now').count()).toBe(0);
    // The status bar shows the running job with its progress.
    await page
      .getByRole('contentinfo', { name: 'Status' })
      .getByText(/^\d+ %$/)
      .waitFor({ timeout: 30_000 });
    // While it runs: the ETA as a duration.
    await expect.poll(() => monitor.locator('.facts').innerText(), { timeout: 30_000 }).toMatch(/ETA\s+[\d.]+ (s|min)/);
    await monitor.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => monitor.locator('.badge').innerText(), { timeout: 30_000 }).toBe('cancelled');
    // The status bar names the compute backend (asked of the engine once, so not tied to this run's timing).
    await expect.poll(() => page.getByTestId('backend').innerText(), { timeout: 30_000 }).toBe('Compute: cpu');
    const runId = Number(/^Run #(\d+)/.exec((await monitor.getAttribute('aria-label')) ?? '')![1]);
    await expect.poll(() => app.lab.runs.get(runId).checkpoint).not.toBeNull();
    await screenshot(page, 'train-cancelled');
    await monitor.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => monitor.locator('.badge').innerText(), { timeout: 30_000 }).toBe('running');
    await monitor.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => monitor.locator('.badge').innerText(), { timeout: 30_000 }).toBe('cancelled');
    expect(errors).toEqual([]);
  });
});
