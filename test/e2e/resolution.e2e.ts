import { describe, expect, it } from 'vitest';
import { canvasColourCount, openPage, screenshot } from './harness';
import { tinyRun, usePatternApp } from './pattern-app';

/** Page script: how far the measured-points table is wider than its frame (> 0: it scrolls sideways). */
const TABLE_OVERFLOW = `(() => { const t = document.querySelector('table.resolution'); return t.scrollWidth - t.parentElement.clientWidth; })()`;

let runId = 0;
const ctx = usePatternApp('fixres-e2e-resolution-', {
  size: 16,
  timeoutMs: 180_000,
  prepare: async ({ app }) => {
    runId = app.lab.runs.start(tinyRun(ctx, 'patterns at 8', { epochs: 2 })).id;
    await app.lab.jobs.idle();
  },
});

describe('Resolution view (web mode, Chromium)', () => {
  it('picks a run, sweeps it with the Fréchet series, fine-tunes at a K_test and shows every series in chart and table', async () => {
    const { page, errors } = await openPage(ctx.browser, `${ctx.app.server.url}#/resolution`);
    await page.getByRole('link', { name: `#${runId} patterns at 8` }).click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/resolution/${runId}$`));
    await page.getByRole('heading', { name: 'No sweep yet' }).waitFor();

    await page.getByLabel('Adaptation').selectOption('frechet');
    await page.getByLabel('K_test list').fill('8, x');
    await page.getByText('“x” is not a size from 1 to 1024').waitFor();
    expect(await page.getByRole('button', { name: 'Run sweep' }).isDisabled()).toBe(true);
    await page.getByLabel('K_test list').fill('6, 8, 12');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    await page.getByRole('button', { name: 'Run sweep' }).waitFor({ timeout: 120_000 });

    const table = page.getByRole('table', { name: 'Accuracy per K_test' });
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => table.getByRole('columnheader', { name: /Fréchet adaptation/ }).count()).toBe(1);
    await expect
      .poll(() => page.getByRole('img', { name: /^Top-1 accuracy against K_test\./ }).getAttribute('aria-label'))
      .toMatch(/Fréchet adaptation: 3 points/);

    await page.getByLabel('K_test (px)', { exact: true }).fill('12');
    await page.getByLabel('Epochs').fill('1');
    expect(await page.getByLabel('Trainable').inputValue()).toBe('last-bn+classifier');
    await page.getByRole('button', { name: 'Fine-tune', exact: true }).click();
    await page
      .getByRole('progressbar', { name: /Fine-tune/ })
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Fine-tune', exact: true }).waitFor({ timeout: 120_000 });
    await expect
      .poll(() => table.getByRole('columnheader', { name: /fine-tuned \(last-bn\+classifier, DA1\) at 12/ }).count(), {
        timeout: 30_000,
      })
      .toBe(1);
    await expect
      .poll(() => page.getByText(/Last fine-tune #\d+: completed, sweep completed/).count(), { timeout: 60_000 })
      .toBe(1);
    await expect.poll(() => table.locator('tbody tr').last().innerText()).not.toMatch(/—/);
    // The fine-tuned series (third palette colour) stays visible even where it equals the baseline: its
    // markers sit at K_test 12, the plot's right edge, where the centred legend does not reach.
    await expect.poll(() => page.evaluate<number>(canvasColourCount('.plot canvas', '#2b8a3e', 0.94))).toBeGreaterThan(20);
    // Three series fit the table's frame at 1280 px (series names wrap instead of widening it).
    await expect.poll(() => page.evaluate<number>(TABLE_OVERFLOW)).toBeLessThanOrEqual(0);
    await screenshot(page, 'resolution', { wholeView: true });
    // The smallest supported window, in the dark theme: the side panels must stay inside it.
    await page.setViewportSize({ width: 1100, height: 700 });
    await page.emulateMedia({ colorScheme: 'dark' });
    // Two frames: chart.js follows the new width through its ResizeObserver.
    await page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))`);
    await expect
      .poll(() =>
        page.evaluate<number>(
          `document.querySelector('.main canvas').getBoundingClientRect().right - document.querySelector('aside.side').getBoundingClientRect().left`,
        ),
      )
      .toBeLessThanOrEqual(0);
    await expect
      .poll(() => page.evaluate<number>(`document.querySelector('aside.side').getBoundingClientRect().right`))
      .toBeLessThanOrEqual(1100);
    // ... and at 1100 px too, with every value still in the table (loss on each cell's second line; no top-5 with 4 classes).
    await expect.poll(() => page.evaluate<number>(TABLE_OVERFLOW)).toBeLessThanOrEqual(0);
    await expect
      .poll(async () => (await table.locator('tbody tr').first().getByRole('cell').first().textContent())?.replace(/\s+/g, ' '))
      .toMatch(/^ ?\d+\.\d % 95 % interval \[\d+\.\d, \d+\.\d\] loss \d+\.\d{3} ?$/);
    // Only <main> scrolls, down to the table: the page itself does not.
    await expect.poll(() => page.evaluate<number>(`document.documentElement.scrollHeight - innerHeight`)).toBeLessThanOrEqual(0);
    await screenshot(page, 'resolution-dark-1100', { wholeView: true });
    expect(errors).toEqual([]);
  }, 240_000);

  it('shows why a run that does not exist has no chart', async () => {
    const { page, errors } = await openPage(ctx.browser, `${ctx.app.server.url}#/resolution/999`);
    await page.getByRole('heading', { name: 'Run #999 does not exist' }).waitFor();
    await screenshot(page, 'resolution-missing-run');
    expect(errors).toEqual([]);
  });
});
