import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPage, screenshot } from './harness';
import { tinyRun, usePatternApp } from './pattern-app';

/**
 * "I have a model → FixRes it" in the app: a model trained elsewhere (here: by the lab itself,
 * exported as torchvision-named safetensors + timm config.json, as a PyTorch user would bring it)
 * is imported in the Models view, classifies dropped images with class names, and starts the
 * Workflow from the model ("Start from a model"), which runs every FixRes step to a summary.
 */
let weights = '';
const ctx = usePatternApp('fixres-e2e-models-', {
  size: 16,
  timeoutMs: 240_000,
  prepare: async ({ app, dir, ...rest }) => {
    const run = app.lab.runs.start(tinyRun({ app, dir, ...rest }, 'trained elsewhere', { epochs: 2, kTrain: 12 }));
    await app.lab.runs.settled(run.id);
    await app.lab.models.export({ model: { runId: run.id }, format: 'safetensors', dir: join(dir, 'brought'), force: false });
    weights = join(dir, 'brought', 'model.safetensors');
  },
});

describe('Models view and "Start from a model" (web mode, Chromium)', () => {
  it('imports a model, predicts dropped images with class names, and runs the workflow from it', async () => {
    const { page, errors } = await openPage(ctx.browser, `${ctx.app.server.url}#/models`);
    await page.getByText('None yet: import a file above').waitFor();
    await page.getByLabel("Weights file (path on the lab's disk)").fill(weights);
    await page.getByLabel('Architecture').selectOption('resnet-mini');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const table = page.getByRole('region', { name: 'Imported models' }).getByRole('table');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 60_000 }).toBe(1);
    expect(await table.locator('tbody tr').first().innerText()).toMatch(
      /model\s+resnet-mini ×0\.25\s+4\s+12\s+0\.875\s+safetensors/,
    );

    const predict = page.getByRole('region', { name: 'Predict' });
    const images = ['horizontal/0.png', 'blob/1.png', 'vertical/2.png'].map((f) => join(ctx.dir, 'patterns', f));
    await predict.locator('input[type=file]').setInputFiles(images);
    await predict.getByText('or drop them here (3 chosen)').waitFor();
    await predict.getByRole('button', { name: 'Predict' }).click();
    const results = predict.getByRole('list', { name: 'Predictions' });
    await expect.poll(() => results.locator(':scope > li').count(), { timeout: 60_000 }).toBe(3);
    const first = await results.locator(':scope > li').first().innerText();
    expect(first).toMatch(/0\.png/);
    expect(first).toMatch(/(blob|diagonal|horizontal|vertical)\s+\d+\.\d%/);
    await predict.getByText(/K_test 12, crop_pct 0\.875, on (onnxruntime|tfjs)/).waitFor();
    await screenshot(page, 'models-predict', { wholeView: true });
    // The optional sizes: a number typed is sent; emptied again, the model's own size is back.
    await predict.getByLabel('K_test').fill('16');
    await predict.getByRole('button', { name: 'Predict' }).click();
    await predict.getByText(/K_test 16, crop_pct 0\.875, on/).waitFor();
    await predict.getByLabel('K_test').fill('');
    await predict.getByRole('button', { name: 'Predict' }).click();
    await predict.getByText(/K_test 12, crop_pct 0\.875, on/).waitFor();

    await page.getByRole('link', { name: 'Workflow' }).click();
    await page.getByLabel('Start from a model').check();
    await expect.poll(() => page.getByLabel('Imported model').inputValue()).not.toBe('');
    await page.getByText('Advanced').click();
    await page.getByLabel('K_test list').fill('8, 12, 16');
    await page.getByLabel('Batch size').fill('8');
    await page.getByLabel('Fine-tune epochs').fill('1');
    await page.getByLabel('Fréchet adaptation series').uncheck();
    await page.getByText('K_test candidates: 8, 12, 16.').waitFor();
    expect(await page.locator('.plan dd').first().innerText()).toBe('12 (the model’s)');
    await screenshot(page, 'workflow-from-model-form', { wholeView: true });
    await page.getByRole('button', { name: 'Start workflow' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/workflow\/\d+$/);
    const steps = page.getByRole('list', { name: 'Workflow steps' });
    const summary = page.getByRole('region', { name: 'Summary' });
    const done = summary.getByRole('table', { name: 'Time per phase' }).waitFor({ timeout: 400_000 });
    // On failure, the screenshot shows which step stopped and why.
    await done.catch(async (err: unknown) => {
      await screenshot(page, 'workflow-from-model-failed', { wholeView: true });
      throw err;
    });
    await expect.poll(() => steps.locator('li:not(.completed)').count()).toBe(0); // every step, whichever the plan holds
    expect(await steps.locator('li.completed').count()).toBeGreaterThanOrEqual(8);
    await expect.poll(() => page.locator('.detail .head').innerText()).toMatch(/from model #1 \(model\)/);
    await expect.poll(() => summary.innerText()).toMatch(/Best top-1\s+\d+\.\d %/);
    await screenshot(page, 'workflow-from-model', { wholeView: true });
    expect(errors).toEqual([]);
  }, 600_000);
});
