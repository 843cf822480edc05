import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { RunConfig, type RunConfigInput } from '../../src/shared/api/runs';
import { tempDir } from '../helpers/fixtures';
import { writePatternFolder } from '../helpers/pattern-images';
import { forceCpuBackend, launchBrowser, startApp } from './harness';

export interface PatternApp {
  app: Awaited<ReturnType<typeof startApp>>;
  browser: Browser;
  datasetId: number;
  /** The file's temporary folder (the dataset is in `patterns/`, the app's data in `home/`). */
  dir: string;
}

/**
 * For one test file: a web-mode app whose engines train on the cpu backend, a scanned dataset of
 * pattern images (8 per class, `size` px) and a browser, made before the tests (`prepare` then adds
 * runs or sweeps) and removed after them. The fields are filled in by the time the tests run.
 */
export function usePatternApp(
  prefix: string,
  options: { size: number; prepare?: (ctx: PatternApp) => Promise<void>; timeoutMs?: number },
): PatternApp {
  const t = tempDir(prefix);
  const ctx = { dir: t.dir } as PatternApp;
  let restoreBackend = () => {};
  beforeAll(async () => {
    restoreBackend = forceCpuBackend();
    await writePatternFolder(join(t.dir, 'patterns'), { perClass: 8, size: options.size });
    ctx.app = await startApp(join(t.dir, 'home'));
    ctx.datasetId = (await (await ctx.app.lab.datasets.open(join(t.dir, 'patterns'))).scanned).id;
    await options.prepare?.(ctx);
    ctx.browser = await launchBrowser();
  }, options.timeoutMs ?? 120_000);
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.app?.stop();
    t.cleanup();
    restoreBackend();
  });
  return ctx;
}

/** A tiny run's config (width ¼, K_train 8, batch 8, one epoch) on the pattern dataset. */
export function tinyRun(ctx: PatternApp, name: string, overrides: Partial<RunConfigInput> = {}): RunConfig {
  return RunConfig.parse({ datasetId: ctx.datasetId, width: 0.25, kTrain: 8, epochs: 1, batchSize: 8, name, ...overrides });
}
