import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fixtures';
import { launchBrowser, openPage, screenshot, startApp } from './harness';

const t = tempDir('fixres-e2e-crops-');
let browser: Browser;
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp(join(t.dir, 'home'));
  const dir = join(t.dir, 'shapes');
  await app.lab.samples.writeSynthetic({
    dir,
    classes: 3,
    perClass: 4,
    size: 96,
    seed: 1,
    objectScale: [0.25, 0.75],
    valFraction: 0.25,
  });
  await (
    await app.lab.datasets.open(dir)
  ).scanned;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  t.cleanup();
});

describe('Crop Lab (web mode, Chromium)', () => {
  it('draws the sampled train crops and the test crop, their patches, and K_test* that follows the sliders', async () => {
    const { page, errors } = await openPage(browser, `${app.server.url}#/crop-lab`);
    await expect.poll(() => page.getByTestId('train-box').count(), { timeout: 20_000 }).toBe(8);
    await expect.poll(() => page.getByTestId('test-box').count()).toBe(1);
    await page.getByRole('img', { name: 'Train crop 1, 128×128' }).waitFor({ timeout: 20_000 });

    const closedAt128 = await page.getByTestId('alpha-closed').innerText();
    expect(Number(closedAt128)).toBeCloseTo(0.809, 3);
    const starAt128 = Number((await page.getByTestId('k-test-star').innerText()).split(/\s/)[0]);
    expect(starAt128 % 8).toBe(0);
    expect(starAt128).toBeGreaterThan(128);

    const kTrain = page.getByLabel('K_train (train crop size) (exact)');
    await kTrain.fill('64');
    await kTrain.press('Enter');
    await expect
      .poll(async () => Number((await page.getByTestId('k-test-star').innerText()).split(/\s/)[0]))
      .toBeLessThan(starAt128);
    await page.getByRole('img', { name: 'Train crop 1, 64×64' }).waitFor({ timeout: 20_000 });
    // K_train 64, K_test still 128: K_test* divides K_train by α at K_test = K_train, not by the α shown for K_test 128.
    const alphaAtKTrain = Number(await page.getByTestId('alpha-at-k-train').innerText());
    const alphaAtKTest = Number(await page.getByTestId('alpha-mc').innerText());
    expect(alphaAtKTest).toBeGreaterThan(1.5 * alphaAtKTrain);
    const starAt64k = Number((await page.getByTestId('k-test-star').innerText()).split(/\s/)[0]);
    expect(Math.abs(64 / alphaAtKTrain - starAt64k)).toBeLessThanOrEqual(4);
    await screenshot(page, 'crop-lab-k-train-64');

    // Moving a slider by keyboard redraws the boxes at once (pure functions in the page, no request).
    const firstBox = () => page.getByTestId('train-box').first().locator('rect').getAttribute('width');
    const widthBefore = await firstBox();
    await page.locator('#scale-min').focus();
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
    await expect
      .poll(async () => Number(await page.getByLabel('Scale min (area fraction) (exact)').inputValue()))
      .toBeCloseTo(0.38, 5);
    await expect.poll(firstBox).not.toBe(widthBefore);

    const crops = page.getByLabel('N train crops (exact)');
    await crops.fill('5');
    await crops.press('Enter');
    await expect.poll(() => page.getByTestId('train-box').count()).toBe(5);

    const starAt64 = (await page.getByTestId('k-test-star').innerText()).split(/\s/)[0]!;
    await page.getByRole('button', { name: /^Use K.?test\* = \d+ as K.?test$/ }).click();
    await expect.poll(() => page.getByLabel('K_test (test crop size) (exact)').inputValue()).toBe(starAt64);

    const second = page
      .getByRole('listbox', { name: /^Images/ })
      .getByRole('option')
      .nth(1);
    await second.click({ modifiers: ['Control'] });
    await expect.poll(() => page.getByRole('article', { name: /^Crops of/ }).count()).toBe(2);
    await page
      .getByRole('img', { name: /^Train crop 5/ })
      .nth(1)
      .waitFor({ timeout: 20_000 });
    await screenshot(page, 'crop-lab', { wholeView: true });

    // By keyboard: the arrow moves along the strip, Space adds the image next to the others.
    await second.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByRole('article', { name: /^Crops of/ }).count()).toBe(3);
    expect(errors).toEqual([]);
  });

  it('works from a typed image size, in the dark theme', async () => {
    const { page, errors } = await openPage(browser, `${app.server.url}#/crop-lab`, 'dark');
    await expect.poll(() => page.getByTestId('train-box').count(), { timeout: 20_000 }).toBe(8);
    await page.getByLabel('Images from').selectOption({ label: 'A typed image size' });
    await page.getByLabel('W', { exact: true }).fill('640');
    await page.getByLabel('W', { exact: true }).press('Enter');
    await page.getByLabel('H', { exact: true }).fill('480');
    await page.getByLabel('H', { exact: true }).press('Enter');
    await page.getByRole('heading', { name: '640 × 480 (typed size)' }).waitFor();
    // DESIGN §1: 4:3 images give α ≈ 0.84 with the real sampler, the closed form stays at 0.809.
    await expect.poll(async () => Number(await page.getByTestId('alpha-mc').innerText())).toBeCloseTo(0.837, 1);
    await screenshot(page, 'crop-lab-dark', { wholeView: true });
    expect(errors).toEqual([]);
  });
});
