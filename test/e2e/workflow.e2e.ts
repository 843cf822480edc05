import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { HORIZONTAL_OVERFLOW, openPage, RESULTS_DIR, screenshot } from './harness';
import { usePatternApp } from './pattern-app';

const ctx = usePatternApp('fixres-e2e-workflow-', { size: 16 });

describe('Workflow wizard (web mode, Chromium)', () => {
  it('plans, starts, cancels and resumes a workflow, then shows its steps and summary with links to the charts', async () => {
    const { page, errors } = await openPage(ctx.browser, `${ctx.app.server.url}#/workflow`);
    await page.getByText('None yet: choose a dataset').waitFor();
    await expect.poll(() => page.getByLabel('Dataset').inputValue()).not.toBe('');
    await page.getByLabel('Time budget (minutes)').fill('5');
    await page.getByText('Advanced').click();
    await page.getByLabel('K_train').fill('8');
    await page.getByLabel('Epochs', { exact: true }).fill('1');
    await page.getByLabel('Batch size').fill('8');
    await page.getByLabel('Fine-tune epochs').fill('1');
    await page.getByLabel('Fine-tune sizes tried').fill('1');
    await page.getByLabel('K_test list').fill('6, 8, x');
    await page.getByText('“x” is not a size from 1 to 1024').waitFor();
    expect(await page.getByRole('button', { name: 'Start workflow' }).isDisabled()).toBe(true);
    await page.getByLabel('K_test list').fill('6, 8, 12');
    // The payoff experiment too: a large run (1.75 × K_train) and the small one fine-tuned at its size.
    await page.getByLabel('Train small vs train large').check();

    await page.getByRole('button', { name: 'Plan' }).click();
    // With no run history the lab times two short probes first: slow on a loaded machine.
    await page.getByText('K_test candidates: 6, 8, 12.').waitFor({ timeout: 150_000 });
    expect(await page.locator('.plan dd').first().innerText()).toBe('8');
    await screenshot(page, 'workflow-plan', { wholeView: true });

    await page.getByRole('button', { name: 'Start workflow' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/workflow\/\d+$/);
    const steps = page.getByRole('list', { name: 'Workflow steps' });
    await steps.locator('li.running').first().waitFor({ timeout: 60_000 });
    // The running step shows its own progress bar (training reports per batch).
    await steps.getByRole('progressbar', { name: /^Progress of / }).waitFor({ timeout: 90_000 });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor({ timeout: 60_000 });
    // Until the summary exists, its card points at the trained run's chart (words apart: "done. Meanwhile").
    await expect
      .poll(() => page.locator('section.card', { hasText: 'Appears when' }).innerText())
      .toMatch(/^Summary\s+Appears when the last step is done\. Meanwhile: Resolution of run #\d+\.$/);
    await page.getByRole('button', { name: 'Resume' }).click();

    const summary = page.getByRole('region', { name: 'Summary' });
    await summary.getByRole('table', { name: 'Time per phase' }).waitFor({ timeout: 300_000 });
    await expect.poll(() => steps.locator('li.completed').count()).toBe(11);
    await expect.poll(() => summary.innerText()).toMatch(/Best top-1\s+\d+\.\d % \[\d+\.\d, \d+\.\d\]/);
    await expect
      .poll(() => summary.innerText())
      .toMatch(/Gain over K_train\s+[+−]\d+\.\d points \[[+−]?\d+\.\d, [+−]?\d+\.\d\] \(p [=<] [\d.]+(, within noise)?\)/);
    // Train small vs train large: the table, and the chart of top-1 (with its interval) against training time, memory as dot size.
    const payoffRows = summary.getByRole('table', { name: 'Train small vs train large' }).locator('tbody tr');
    await expect.poll(() => payoffRows.count()).toBeGreaterThanOrEqual(4);
    const payoffChart = summary.getByRole('region', { name: 'Top-1 (95 % interval) against training time' });
    const described = await payoffChart.getByRole('img').getAttribute('aria-label');
    expect(described).toMatch(/^Train small vs train large: top-1 against training time: trained at 8, tested at 8 · /);
    expect(described?.match(/: top-1 \d+\.\d % \[\d+\.\d, \d+\.\d\] after /g)).toHaveLength(await payoffRows.count());
    expect(await payoffChart.getByText(/a dot’s area is proportional to its peak memory/).count()).toBe(1);
    // The card whole, in a window tall enough to hold it (the view scrolls inside its own pane).
    await page.setViewportSize({ width: 1280, height: 2600 });
    await summary.screenshot({ path: join(RESULTS_DIR, 'workflow-payoff.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, 'workflow', { wholeView: true });
    // The steps and the summary card side by side still fit the smallest supported window.
    await page.setViewportSize({ width: 1100, height: 700 });
    await expect.poll(() => page.evaluate<number>(HORIZONTAL_OVERFLOW)).toBeLessThanOrEqual(0);
    await screenshot(page, 'workflow-1100');
    await page.setViewportSize({ width: 1280, height: 800 });

    await summary.getByRole('link', { name: 'Resolution chart' }).click();
    await page.getByRole('table', { name: 'Accuracy per K_test' }).waitFor();
    await page.goBack();
    await page.getByRole('link', { name: '← New workflow' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Past workflows' }).locator('li').count()).toBe(1);
    expect(errors).toEqual([]);
  }, 500_000);
});
