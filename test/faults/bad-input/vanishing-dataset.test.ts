import { renameSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunConfigInput, RunDetail } from '../../../src/shared/api/runs';
import { countImages } from '../../../src/store/images';
import { manyImages } from '../helpers/datasets';
import { metricsOf, nextEvent, startTrainingLab, type TrainingLab } from '../helpers/training-lab';

let t: TrainingLab;
let reference: RunDetail;
beforeAll(async () => {
  t = await startTrainingLab();
  await manyImages(join(t.dir, 'large'), 3000);
  reference = await t.trainToEnd({ epochs: 3 });
});
afterAll(() => t.close());

describe('the dataset folder disappears', () => {
  it('drops a first scan whose folder is moved away mid-scan, saving nothing, and scans it once it is back', async () => {
    const { lab } = t;
    const large = join(t.dir, 'large');
    const reading = nextEvent(lab, 'dataset.scanProgress', (p) => p.phase === 'reading');
    const opened = await lab.datasets.open(large);
    await reading;
    renameSync(large, `${large}-moved`);
    // A first scan that kept nothing leaves no "failed" dataset behind (issue 16, papercut 6): it says why and goes.
    await expect(opened.scanned).rejects.toThrow(/was moved or deleted during the scan; nothing was saved/);
    renameSync(`${large}-moved`, large);
    expect(lab.datasets.list().map((d) => d.id)).not.toContain(opened.dataset.id);
    expect(countImages(lab.db, opened.dataset.id)).toBe(0);
    expect(await (await lab.datasets.open(large)).scanned).toMatchObject({
      status: 'ready',
      imageCount: 3000,
      problems: { unreadable: 0 },
    });
  });

  it('fails a rescan whose folder is deleted mid-scan and keeps the previous scan’s images untouched', async () => {
    const { lab } = t;
    const large = join(t.dir, 'large');
    const ds = lab.datasets.list().find((d) => d.root === large)!;
    const before = lab.datasetImages.images(ds.id, { offset: 0, limit: 200 });
    // A new mtime makes the rescan read every file again.
    for (let i = 0; i < 3000; i++) utimesSync(join(large, `class-${i % 2}`, `${i}.png`), new Date(), new Date(2030, 0, 1));
    const reading = nextEvent(lab, 'dataset.scanProgress', (p) => p.datasetId === ds.id && p.phase === 'reading');
    const rescan = lab.datasets.rescan(ds.id);
    await reading;
    renameSync(large, `${large}-gone`);
    const failed = await rescan.scanned;
    renameSync(`${large}-gone`, large);
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/moved or deleted during the scan/) });
    expect(lab.datasetImages.images(ds.id, { offset: 0, limit: 200 })).toEqual(before);
  });

  it('fails a run whose dataset folder is renamed mid-training, naming the missing file; it resumes to the same metrics once the folder is back', async () => {
    const { lab } = t;
    // Without the decode cache every epoch reads the files again.
    const failed = await trainWithFolderGoneAfterEpoch1({ decodeCache: false });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/(horizontal|vertical|diagonal|blob)\/\d+\.png/);
    expect(failed.error).toMatch(/not found|moved or deleted/);
    expect(failed.epochs.length).toBeGreaterThanOrEqual(2);
    lab.runs.resume(failed.id);
    await lab.jobs.idle();
    expect(metricsOf(lab.runs.get(failed.id))).toEqual(metricsOf(reference));
  });

  it('finishes a run from its decoded copies when the folder goes away after the first epoch, with the same metrics', async () => {
    const finished = await trainWithFolderGoneAfterEpoch1({});
    expect(finished.status).toBe('completed');
    expect(metricsOf(finished)).toEqual(metricsOf(reference));
  });
});

/** Starts a 3-epoch run, moves its dataset folder away once epoch 1 is checkpointed, and puts it back when the run has ended. */
async function trainWithFolderGoneAfterEpoch1(extra: Partial<RunConfigInput>): Promise<RunDetail> {
  const { lab } = t;
  const patterns = join(t.dir, 'patterns');
  const run = lab.runs.start(t.tiny({ epochs: 3, ...extra }));
  await expect
    .poll(() => lab.runs.get(run.id).checkpoint?.epoch ?? 0, { interval: 10, timeout: 30_000 })
    .toBeGreaterThanOrEqual(1);
  renameSync(patterns, `${patterns}-renamed`);
  try {
    await lab.jobs.idle();
  } finally {
    renameSync(`${patterns}-renamed`, patterns);
  }
  return lab.runs.get(run.id);
}
