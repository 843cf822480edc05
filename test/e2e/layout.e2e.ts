import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SweepRequest } from '../../src/shared/api/sweeps';
import { HORIZONTAL_OVERFLOW, openPage, screenshot } from './harness';
import { tinyRun, usePatternApp } from './pattern-app';

const ids: number[] = [];
const ctx = usePatternApp('fixres-e2e-layout-', {
  size: 16,
  timeoutMs: 180_000,
  prepare: async ({ app }) => {
    for (const name of ['first', 'second']) ids.push(app.lab.runs.start(tinyRun(ctx, name)).id);
    await app.lab.jobs.idle();
    const sweep = app.lab.sweeps.start(SweepRequest.parse({ runId: ids[0]!, adapter: 'frechet', kTests: [6, 8, 12] }));
    expect((await app.lab.sweeps.settled(sweep.id)).status).toBe('completed');
  },
});

interface ViewCase {
  name: string;
  hash: string;
  /** Waits until the view shows its content (then a tab to click, for tabbed views). */
  ready: (page: Page) => Promise<void>;
}

const rowsOf = (page: Page, table: string) => page.getByRole('table', { name: table }).locator('tbody tr');
const views = (): ViewCase[] => [
  { name: 'datasets', hash: 'datasets', ready: (p) => p.getByRole('tab', { name: 'Overview' }).waitFor() },
  {
    name: 'datasets-sizes',
    hash: 'datasets',
    ready: async (p) => {
      await p.getByRole('tab', { name: 'Sizes & formats' }).click();
      await expect.poll(() => p.getByRole('tabpanel').locator('canvas').count()).toBe(2);
    },
  },
  {
    name: 'datasets-images',
    hash: 'datasets',
    ready: async (p) => {
      await p.getByRole('tab', { name: 'Images' }).click();
      await expect.poll(() => p.locator('img[src^="data:image/webp"]').count()).toBeGreaterThan(0);
    },
  },
  { name: 'crop-lab', hash: 'crop-lab', ready: (p) => expect.poll(() => p.getByTestId('train-box').count()).toBe(8) },
  { name: 'train', hash: 'train', ready: (p) => expect.poll(() => p.getByLabel('Dataset').inputValue()).not.toBe('') },
  {
    name: 'train-run',
    hash: `train/${ids[0]}`,
    ready: (p) =>
      expect
        .poll(() =>
          p
            .getByRole('article', { name: /^Run #/ })
            .locator('.badge')
            .innerText(),
        )
        .toBe('completed'),
  },
  { name: 'runs', hash: 'runs', ready: (p) => expect.poll(() => rowsOf(p, 'Runs').count()).toBe(2) },
  { name: 'run-detail', hash: `runs/${ids[0]}`, ready: (p) => p.locator('table.epochs tbody tr').first().waitFor() },
  {
    name: 'runs-compare',
    hash: `runs/compare/${ids.join(',')}`,
    ready: (p) => p.getByRole('img', { name: /^Accuracy by run\./ }).waitFor(),
  },
  { name: 'workflow', hash: 'workflow', ready: (p) => p.getByText('None yet: choose a dataset').waitFor() },
  {
    name: 'resolution',
    hash: `resolution/${ids[0]}`,
    ready: (p) => expect.poll(() => rowsOf(p, 'Accuracy per K_test').count()).toBe(3),
  },
  {
    name: 'activations',
    hash: `activations/${ids[0]}`,
    ready: (p) => expect.poll(() => rowsOf(p, 'Activation statistics').count()).toBe(4),
  },
];

/** Page script: tags every control a user can reach with Tab (visible, enabled, not tabindex -1) and counts them. */
const TAG_TABBABLE = `(() => {
  const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')].filter((el) => {
    if (el.disabled || el.getAttribute('tabindex') === '-1' || el.type === 'hidden') return false;
    if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') return false;
    // A radio group is one Tab stop (its checked radio); the arrow keys move within it.
    if (el.type === 'radio' && !el.checked && (el.form ?? document).querySelector('input[type=radio][name="' + el.name + '"]:checked')) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  });
  controls.forEach((el, i) => el.setAttribute('data-tab-stop', String(i)));
  return controls.length;
})()`;
const FOCUSED_STOP = `document.activeElement?.getAttribute('data-tab-stop') ?? ''`;

const nextFrames = (page: Page) =>
  page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))`);

describe('Every view at the smallest window, by keyboard (web mode, Chromium)', () => {
  it('fits every view into 1100×700 after the window shrinks, with nothing pushed off to the side', async () => {
    const { page, errors } = await openPage(ctx.browser, ctx.app.server.url);
    for (const view of views()) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${ctx.app.server.url}#/${view.hash}`);
      await view.ready(page);
      await page.setViewportSize({ width: 1100, height: 700 });
      await nextFrames(page);
      await expect.poll(() => page.evaluate<number>(HORIZONTAL_OVERFLOW), { message: view.name }).toBeLessThanOrEqual(0);
      await screenshot(page, `layout-${view.name}-1100`);
    }
    // The runs table keeps its last column (Delete) inside its frame at this width.
    await page.goto(`${ctx.app.server.url}#/runs`);
    await expect.poll(() => rowsOf(page, 'Runs').count()).toBe(2);
    const deleteRight = await page.evaluate<number>(`(() => {
      const button = document.querySelector('button[aria-label="Delete run #${ids[0]}"]');
      return button.getBoundingClientRect().right - button.closest('.table-wrap').getBoundingClientRect().right;
    })()`);
    expect(deleteRight).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('reaches every control of every view with Tab', async () => {
    const { page, errors } = await openPage(ctx.browser, ctx.app.server.url);
    await page.setViewportSize({ width: 1100, height: 700 });
    for (const view of views()) {
      await page.goto(`${ctx.app.server.url}#/${view.hash}`);
      await view.ready(page);
      // Parts of a view load after it is ready (the Resolution view's outcomes): count once the controls stop appearing.
      let count = -1;
      await expect
        .poll(async () => {
          const now = await page.evaluate<number>(TAG_TABBABLE);
          const settled = now === count;
          count = now;
          return settled;
        })
        .toBe(true);
      await page.evaluate(`document.activeElement?.blur()`);
      const reached = new Set<string>();
      for (let i = 0; i < count + 3; i++) {
        await page.keyboard.press('Tab');
        reached.add(await page.evaluate<string>(FOCUSED_STOP));
      }
      const missed = Array.from({ length: count }, (_, i) => String(i)).filter((i) => !reached.has(i));
      const names = await page.evaluate<string[]>(
        `${JSON.stringify(missed)}.map((i) => document.querySelector('[data-tab-stop="' + i + '"]').outerHTML.slice(0, 80))`,
      );
      expect(names, view.name).toEqual([]);
    }
    await screenshot(page, 'layout-tab-focus');
    expect(errors).toEqual([]);
  }, 120_000);
});
