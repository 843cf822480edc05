import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fixtures';
import { launchBrowser, openPage, screenshot, startApp } from './harness';

const t = tempDir('fixres-e2e-sample-wf-');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  t.cleanup();
});

/**
 * Issue 13 "defaults that learn": a new user's path — Try a sample, then the Workflow with every
 * default but a fixed plan — ends with a clearly trained model (well above the 10 % chance of ten
 * shapes), on the engine's best backend, as a user's machine runs it. The plan is given instead of
 * a time budget: a budget plans from the measured speed, so under load it trains less; given sizes
 * and epochs train the same steps on any machine. It is small so CI stays short (the 12-epoch plan
 * of docs/RESULTS.md took 19 min under load): two K_test, one fine-tune of two epochs.
 */
const PLAN = { kTrain: '16', epochs: '6', kTests: '16, 24', finetuneEpochs: '2', finetuneSizes: '1' };
/**
 * The best held-out top-1's Wilson low end must clear this. Chance is 10 % (its interval on 500
 * images reaches 13 %); this plan measured 36.4 % [32.3, 40.7] (7 December, under load; training
 * is deterministic for a given plan and seed), so 20 keeps a 12-point margin and stays clearly above chance.
 */
const MIN_HELD_OUT_LOW = 20;
describe('the sample set through the workflow with default settings (web mode, Chromium)', () => {
  it('trains well above chance and reports the held-out top-1 with its interval and the gain with its p-value', async () => {
    const app = await startApp(join(t.dir, 'home'));
    try {
      const { page, errors } = await openPage(browser, app.server.url);
      await page.getByRole('button', { name: /Synthetic shapes/ }).click();
      await expect.poll(() => page.getByText('ready', { exact: true }).count(), { timeout: 180_000 }).toBe(1);

      await page.goto(`${app.server.url}#/workflow`);
      await expect.poll(() => page.getByLabel('Dataset').inputValue()).not.toBe('');
      // Every setting at its default but the plan: K_train and a few epochs, to keep CI short.
      await page.getByText('Advanced').click();
      await page.getByLabel('K_train').fill(PLAN.kTrain);
      await page.getByLabel('Epochs', { exact: true }).fill(PLAN.epochs);
      await page.getByLabel('K_test list').fill(PLAN.kTests);
      await page.getByLabel('Fine-tune epochs').fill(PLAN.finetuneEpochs);
      await page.getByLabel('Fine-tune sizes tried').fill(PLAN.finetuneSizes);
      await page.getByRole('button', { name: 'Start workflow' }).click();
      await expect.poll(() => page.url()).toMatch(/#\/workflow\/\d+$/);

      const summary = page.getByRole('region', { name: 'Summary' });
      await summary.getByRole('table', { name: 'Results' }).waitFor({ timeout: 1_500_000 });
      const text = await summary.innerText();
      await screenshot(page, 'workflow-sample-defaults', { wholeView: true });
      // "Best top-1  36.4 % [32.3, 40.7] at K_test 24 (finetuned)": on the held-out half of the 1 000 validation images.
      const best = /Best top-1\s+(\d+\.\d) % \[(\d+\.\d), (\d+\.\d)\]/.exec(text);
      expect(best, text).not.toBeNull();
      expect(Number(best![2])).toBeGreaterThan(MIN_HELD_OUT_LOW);
      expect(text).toMatch(/picked on 500 images \(the selection half/);
      expect(text).toMatch(
        /Gain over K_train\s+[+−]\d+\.\d points \[[+−]?\d+\.\d, [+−]?\d+\.\d\] \(p [=<] [\d.]+(, within noise)?\)/,
      );
      expect(text).not.toMatch(/within two intervals of chance/);
      expect(errors).toEqual([]);
    } finally {
      await app.stop();
    }
  }, 1_800_000);
});
