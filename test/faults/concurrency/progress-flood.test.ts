import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunConfig } from '../../../src/shared/api/runs';
import { SweepRequest } from '../../../src/shared/api/sweeps';
import type { EventName } from '../../../src/shared/contract';
import { floodingEngine } from '../helpers/flooding-engine';
import { startWebLab, type WebLab } from '../helpers/web-lab';

const FLOOD = { walkMessages: 20_000, images: 4000, batchMessages: 20_000 };
/** The lab lets at most one progress event through per this many ms (plus phase changes and epoch ends). */
const INTERVAL_MS = 250;

let web: WebLab;
const counts = new Map<EventName, number>();
beforeAll(async () => {
  web = await startWebLab({ spawnEngine: floodingEngine(FLOOD) });
  web.lab.events.subscribe((event) => counts.set(event, (counts.get(event) ?? 0) + 1));
});
afterAll(() => web.close());

/** Runs `work`, returning how many `event`s the lab emitted meanwhile and how long it took. */
async function countDuring(event: EventName, work: () => Promise<unknown>): Promise<{ events: number; ms: number }> {
  counts.clear();
  const started = performance.now();
  await work();
  return { events: counts.get(event) ?? 0, ms: performance.now() - started };
}

describe('an engine that floods progress cannot flood the clients', () => {
  it(`forwards a scan's ${FLOOD.walkMessages + FLOOD.images} progress messages as a few throttled events, and still saves every image`, async () => {
    const root = join(web.dir, 'flood');
    mkdirSync(root);
    let id = 0;
    const { events, ms } = await countDuring('dataset.scanProgress', async () => {
      const opened = await web.lab.datasets.open(root);
      id = opened.dataset.id;
      await opened.scanned;
    });
    expect(web.lab.datasets.get(id)).toMatchObject({ status: 'ready', imageCount: FLOOD.images });
    // listing → reading → saving, the final "done", and one per interval.
    expect(events).toBeLessThanOrEqual(4 + Math.ceil(ms / INTERVAL_MS));
  });

  it(`forwards a run's ${FLOOD.batchMessages} batch messages as a few throttled progress events, and records the epoch`, async () => {
    const datasetId = web.lab.datasets.list()[0]!.id;
    let runId = 0;
    const { events, ms } = await countDuring('run.progress', async () => {
      runId = web.lab.runs.start(RunConfig.parse({ datasetId, kTrain: 8, batchSize: 8, epochs: 1 })).id;
      await web.lab.jobs.idle();
    });
    expect(web.lab.runs.get(runId)).toMatchObject({ status: 'completed', epochsDone: 1, backend: 'flood' });
    expect(events).toBeGreaterThanOrEqual(1);
    expect(events).toBeLessThanOrEqual(1 + Math.ceil(ms / INTERVAL_MS));
  });

  it(`forwards a sweep's ${FLOOD.batchMessages} evaluation batch messages as a few throttled progress events`, async () => {
    const runId = web.lab.runs.list()[0]!.id;
    const kTests = [8, 12, 16, 24];
    let sweepId = 0;
    const { events, ms } = await countDuring('sweep.progress', async () => {
      sweepId = web.lab.sweeps.start(SweepRequest.parse({ runId, kTests })).id;
      await web.lab.sweeps.settled(sweepId);
    });
    expect(web.lab.sweeps.get(sweepId)).toMatchObject({ status: 'completed', backend: 'flood' });
    expect(events).toBeGreaterThanOrEqual(1);
    // One per interval, plus the last batch of each K_test (unthrottled: one per message, 20 000).
    expect(events).toBeLessThanOrEqual(kTests.length + Math.ceil(ms / INTERVAL_MS));
  });
});
