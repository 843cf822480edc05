import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { spawnNodeEngine } from '../../src/lab/engine/node-engine';
import { createLab } from '../../src/lab/lab';
import { SweepRequest } from '../../src/shared/api/sweeps';
import { insertRun } from '../../src/store/runs';
import { frozenRunConfig } from '../helpers/frozen-config';
import { PATTERN_CLASSES } from '../helpers/pattern-images';
import { openPage, screenshot } from './harness';
import { tinyRun, usePatternApp } from './pattern-app';

let runId = 0;
const ctx = usePatternApp('fixres-e2e-outcomes-', {
  size: 16,
  timeoutMs: 180_000,
  prepare: async ({ app }) => {
    // One epoch at a tiny width: a model that still gets some validation images wrong.
    runId = app.lab.runs.start(tinyRun(ctx, 'patterns at 8', { epochs: 1, lr: 0.01 })).id;
    await app.lab.jobs.idle();
  },
});

/** Page script: the true-class names under the gallery's tiles. */
const TILE_TRUTHS = `[...document.querySelectorAll('.gallery .truth')].map((e) => e.textContent.trim())`;

describe('Where the model is wrong (web mode, Chromium)', () => {
  it('shows a run’s last validation as confusion matrix, per-class accuracy and a gallery filtered by class', async () => {
    const { page, errors } = await openPage(ctx.browser, `${ctx.app.server.url}#/runs/${runId}`);
    const section = page.getByRole('region', { name: 'Where the model is wrong' });
    await section.getByLabel('Measured point').waitFor();
    expect(await section.getByLabel('Measured point').locator('option:checked').innerText()).toMatch(
      /K_test 8 · last validation/,
    );
    const matrix = section.getByRole('table', { name: /Confusion matrix/ });
    await expect.poll(() => matrix.locator('tbody tr').count()).toBe(PATTERN_CLASSES.length);
    const perClass = section.getByRole('table', { name: 'Per-class accuracy' });
    expect(await perClass.locator('tbody tr').count()).toBe(PATTERN_CLASSES.length);
    // The matrix holds every validation image, and the gallery every one it got wrong.
    const valImages = ctx.app.lab.runs.get(runId).config.valImages;
    const cells = (await matrix.locator('tbody td').allInnerTexts()).map(Number);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(valImages);
    const diagonal = PATTERN_CLASSES.map((_, i) => cells[i * PATTERN_CLASSES.length + i]!).reduce((a, b) => a + b, 0);
    const gallery = section.getByRole('list', { name: 'Misclassified validation images' });
    if (diagonal < valImages) {
      await expect.poll(() => gallery.locator('li').count()).toBe(valImages - diagonal);
      await expect.poll(() => gallery.locator('img').count()).toBe(valImages - diagonal); // thumbnails, not placeholders
    }
    await screenshot(page, 'outcomes-run', { wholeView: true });

    // Filter by a true class that has mistakes: only its images remain.
    const truths = await page.evaluate<string[]>(TILE_TRUTHS);
    if (truths.length) {
      await section.getByLabel('True class', { exact: true }).selectOption({ label: truths[0]! });
      await expect.poll(() => page.evaluate<string[]>(TILE_TRUTHS)).toEqual(truths.filter((t) => t === truths[0]));
      await screenshot(page, 'outcomes-run-filtered', { wholeView: true });
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the Resolution view’s points per K_test and switches the matrix between them', async () => {
    const sweep = ctx.app.lab.sweeps.start(SweepRequest.parse({ runId, adapter: 'none', kTests: [8, 12] }));
    expect((await ctx.app.lab.sweeps.settled(sweep.id)).status).toBe('completed');
    const { page, errors } = await openPage(ctx.browser, `${ctx.app.server.url}#/resolution/${runId}`);
    const section = page.getByRole('region', { name: 'Where the model is wrong' });
    const picker = section.getByLabel('Measured point');
    await picker.waitFor();
    const options = await picker.locator('option').allInnerTexts();
    // The sweep measured K_test 8 again (it replaces the last validation's point) and 12.
    expect(options.map((o) => o.replace(/ · [\d.]+ %$/, ''))).toEqual([
      `#${runId} trained at 8 · K_test 8 · sweep`,
      `#${runId} trained at 8 · K_test 12 · sweep`,
    ]);
    await picker.selectOption({ index: 1 });
    await expect.poll(() => section.getByText(/validation images right \(.*\) at K_test 12\./).count()).toBe(1);
    await section.getByRole('table', { name: /Confusion matrix/ }).waitFor();
    await screenshot(page, 'outcomes-resolution', { wholeView: true });
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows a run another process (the CLI) adds to the same data folder without a reload', async () => {
    const { page, errors } = await openPage(ctx.browser, `${ctx.app.server.url}#/runs`);
    const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    const cli = createLab({ dataDir: join(ctx.dir, 'home'), spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
    try {
      insertRun(cli.db, {
        kind: 'train',
        name: 'started from the CLI',
        parentId: null,
        datasetId: ctx.datasetId,
        config: frozenRunConfig(),
        checkpointDir: (id) => join(ctx.dir, 'cli-runs', String(id)),
      });
    } finally {
      cli.close();
    }
    await page.getByRole('cell', { name: 'started from the CLI' }).waitFor({ timeout: 10_000 });
    expect(await rows.count()).toBe(2);
    expect(errors).toEqual([]);
  }, 60_000);
});
