import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunConfig } from '../../src/shared/api/runs';
import { WorkflowRequest } from '../../src/shared/api/workflows';
import { trainableRungs } from '../../src/shared/backends';
import { tempDir } from '../helpers/fixtures';
import { writePatternFolder } from '../helpers/pattern-images';
import { webgpuForTests, webgpuTestEnv } from '../helpers/webgpu';
import { launchBrowser, openPage, screenshot, startApp } from './harness';

const t = tempDir('fixres-e2e-backend-');
const webgpu = await webgpuForTests();
if (webgpu.skip) console.warn(`backend picker e2e runs without a WebGPU adapter: ${webgpu.skip}`);
const saved = { ...process.env };
let browser: Browser;
let app: Awaited<ReturnType<typeof startApp>>;
let datasetId: number;

beforeAll(async () => {
  // The engine chooses for itself (no FIXRES_BACKEND), and sees SwiftShader where CI has it.
  delete process.env.FIXRES_BACKEND;
  Object.assign(process.env, webgpuTestEnv());
  await writePatternFolder(join(t.dir, 'patterns'), { perClass: 12, size: 12 });
  app = await startApp(join(t.dir, 'home'));
  datasetId = (await (await app.lab.datasets.open(join(t.dir, 'patterns'))).scanned).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  t.cleanup();
  process.env = saved;
});

/** The picker's options as shown: [value, label]. */
async function pickerOptions(page: Page, id: string): Promise<[string, string][]> {
  const picker = page.locator(`#${id}`);
  await expect.poll(() => picker.locator('option').count(), { timeout: 60_000 }).toBeGreaterThan(1);
  return picker
    .locator('option')
    .evaluateAll((options) => options.map((o) => [(o as unknown as { value: string }).value, o.textContent!.trim()]));
}

describe('Backend picker (web mode, Chromium)', () => {
  it('lists only the rungs that load here, with the adapter named and a software one marked, in the run and workflow forms', async () => {
    const status = await app.lab.engineStatus.get();
    const loadable = trainableRungs(status.rungs).map((r) => r.name);
    const { page, errors } = await openPage(browser, `${app.server.url}#/train`);
    const options = await pickerOptions(page, 'run-backend');
    expect(options.map(([value]) => value)).toEqual(['', ...loadable]);
    expect(options[0]![1]).toMatch(new RegExp(`^Automatic \\(${status.defaultBackend} · `));
    for (const missing of status.rungs.filter((r) => !r.available)) expect(options.map(([v]) => v)).not.toContain(missing.name);
    expect(options.map(([v]) => v)).not.toContain('onnxruntime');
    if (!webgpu.skip) {
      const label = webgpu.device!.software ? `${webgpu.device!.name} (software, not a GPU)` : webgpu.device!.name;
      expect(options).toContainEqual(['webgpu', `webgpu · WebGPU (Dawn) · ${label}`]);
    }
    await expect.poll(() => page.getByTestId('backend').innerText()).toBe(`Compute: ${status.backend.name}`);
    await screenshot(page, 'backend-picker');

    await page.goto(`${app.server.url}#/workflow`);
    await page.getByText('Advanced').click();
    expect(await pickerOptions(page, 'wf-backend')).toEqual(options);
    expect(errors).toEqual([]);
  });

  it('offers "Retry on" a rung that loads, not a Resume that cannot work, for a run whose backend does not load here', async () => {
    // A config from a CUDA workstation: no machine that runs the tests has tfjs-node-gpu with CUDA 11.2 and a GPU.
    const run = app.lab.runs.start(
      RunConfig.parse({ datasetId, width: 0.25, kTrain: 8, epochs: 1, batchSize: 8, backend: 'tensorflow-gpu' }),
    );
    await app.lab.jobs.idle();
    expect(app.lab.runs.get(run.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/tensorflow-gpu" is not available/),
    });
    const retryOn = (await app.lab.engineStatus.get()).defaultBackend;

    const { page, errors } = await openPage(browser, `${app.server.url}#/train/${run.id}`);
    const monitor = page.getByRole('article', { name: `Run #${run.id}` });
    const retry = monitor.getByRole('button', { name: `Retry on ${retryOn}` });
    await retry.waitFor({ timeout: 60_000 });
    expect(await monitor.getByRole('button', { name: 'Resume' }).count()).toBe(0);
    expect(await retry.getAttribute('title')).toMatch(/^tensorflow-gpu does not load here: .+\. Continue on /);
    await screenshot(page, 'backend-retry');
    await retry.click();
    await expect.poll(() => monitor.locator('.badge').innerText(), { timeout: 90_000 }).toBe('completed');
    expect(app.lab.runs.get(run.id)).toMatchObject({ backend: retryOn, config: { backend: retryOn } });
    expect(await monitor.getByRole('button', { name: /^Retry on/ }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('offers "Retry on" for a workflow whose backend does not load here, and retries its training run there', async () => {
    const started = await app.lab.workflows.start(
      WorkflowRequest.parse({ datasetId, kTrain: 8, epochs: 1, batchSize: 8, width: 0.25, backend: 'tensorflow-gpu' }),
    );
    expect(await app.lab.workflows.settled(started.id)).toMatchObject({ status: 'failed', currentStep: 'train' });
    const retryOn = (await app.lab.engineStatus.get()).defaultBackend;

    const { page, errors } = await openPage(browser, `${app.server.url}#/workflow/${started.id}`);
    const retry = page.getByRole('button', { name: `Retry on ${retryOn}` });
    await retry.waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(0);
    await retry.click();
    await page.getByRole('button', { name: 'Cancel' }).waitFor({ timeout: 30_000 });
    expect(app.lab.workflows.get(started.id).config.backend).toBe(retryOn);
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await app.lab.workflows.settled(started.id)).toMatchObject({ status: 'cancelled' });
    expect(errors).toEqual([]);
  });
});
