/**
 * How the Train view copes with a long run (`npm run bench:ui`): a real lab in web mode, one tiny
 * finished run, then N progress events (a run's worth of live points) followed by 40 more at the
 * lab's real rate (4 per second) while Chromium records long tasks (> 50 ms) on the page.
 * Prints one JSON line per N. The machine may be shared: read the numbers as rough.
 */
import { join } from 'node:path';
import { RunConfig } from '../src/shared/api/runs';
import { forceCpuBackend, launchBrowser, openPage, startApp } from '../test/e2e/harness';
import { tempDir } from '../test/helpers/fixtures';
import { writePatternFolder } from '../test/helpers/pattern-images';

const sizes = (process.argv[2] ?? '1000,20000,100000').split(',').map(Number);
const LIVE_EVENTS = 40;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const restore = forceCpuBackend();
const t = tempDir('fixres-bench-ui-');
await writePatternFolder(join(t.dir, 'patterns'), { perClass: 8, size: 12 });
const app = await startApp(join(t.dir, 'home'));
const browser = await launchBrowser();
try {
  const datasetId = (await (await app.lab.datasets.open(join(t.dir, 'patterns'))).scanned).id;
  for (const points of sizes) {
    const run = app.lab.runs.start(RunConfig.parse({ datasetId, width: 0.25, kTrain: 8, epochs: 1, batchSize: 8 }));
    await app.lab.jobs.idle();
    const { page } = await openPage(browser, `${app.server.url}#/train/${run.id}`);
    await page
      .getByRole('article', { name: /^Run #/ })
      .locator('.badge')
      .waitFor();
    const total = points + LIVE_EVENTS;
    const emit = (i: number) =>
      app.lab.events.emit('run.progress', {
        runId: run.id,
        epoch: 0,
        epochs: 1,
        batch: i,
        batchesPerEpoch: total,
        loss: 1 + Math.sin(i / 50),
        acc: 0.5 + 0.4 * Math.sin(i / 70),
        lr: 0.1,
        imgPerSec: 100,
        etaSeconds: 10,
      });
    const filled = Date.now();
    for (let i = 0; i < points; i++) {
      emit(i);
      if (i % 500 === 499) await sleep(5);
    }
    const label = page.getByRole('img', { name: /^Loss per epoch/ });
    while (!(await label.getAttribute('aria-label'))?.includes(`train: ${points + 1} points`) && points > 0) await sleep(100);
    const fillSeconds = (Date.now() - filled) / 1000;
    await page.evaluate(
      `(() => { window.longTasks = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push(e.duration); }).observe({ type: 'longtask' }); })()`,
    );
    for (let i = points; i < total; i++) {
      emit(i);
      await sleep(250);
    }
    await sleep(500);
    const longTasks = await page.evaluate<number[]>('window.longTasks');
    console.log(
      JSON.stringify({
        points,
        fillSeconds,
        liveEvents: LIVE_EVENTS,
        longTasks: longTasks.length,
        maxLongTaskMs: Math.max(0, ...longTasks),
      }),
    );
    await page.context().close();
  }
} finally {
  await browser.close();
  await app.stop();
  restore();
  t.cleanup();
}
