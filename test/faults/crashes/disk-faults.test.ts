import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run, RunDetail } from '../../../src/shared/api/runs';
import { writePatternFolder } from '../../helpers/pattern-images';
import { mountTmpfs, tmpfsUnavailable, type Tmpfs } from '../helpers/tmpfs';
import { metricsOf, nextEvent, startTrainingLab, type TrainingLab } from '../helpers/training-lab';

/** The epoch of the checkpoint latest.json names (what a resume starts from). */
function latestCheckpointEpoch(run: Run): number {
  const dir = run.checkpointDir!;
  const { name } = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as { name: string };
  return (JSON.parse(readFileSync(join(dir, name, 'state.json'), 'utf8')) as { epoch: number }).epoch;
}

/** Waits until the run has a checkpoint, so a fault after this has one to keep. */
async function checkpointed(run: Run): Promise<void> {
  await expect
    .poll(() => t.lab.runs.get(run.id).checkpoint?.epoch ?? 0, { interval: 10, timeout: 30_000 })
    .toBeGreaterThanOrEqual(1);
}

const reason = tmpfsUnavailable ? ` (skipped: ${tmpfsUnavailable})` : '';

let t: TrainingLab;
let disk: Tmpfs;
let reference: RunDetail;

describe.skipIf(tmpfsUnavailable)(`the data folder fills up or turns read-only${reason}`, () => {
  beforeAll(async () => {
    t = await startTrainingLab({
      prepareHome: (home) => {
        disk = mountTmpfs(home, 24);
        return () => disk.unmount();
      },
    });
    reference = await t.trainToEnd({ epochs: 4 });
  });
  afterAll(() => t?.close());

  // The checkpoints get their own file system, so the database's and theirs fill up one at a time.
  for (const [full, reason] of [
    ['the database', /database or disk is full/],
    ['the checkpoints', /^Cannot save the checkpoint in .*: no space left on device\. The previous checkpoint is kept/],
  ] as const) {
    it(`fails a run with a clear error when the disk under ${full} fills up mid-run, keeps its earlier epochs and checkpoint, and resumes once there is space`, async () => {
      const { lab } = t;
      const runsDisk = mountTmpfs(join(t.home, 'runs'), 8);
      const filled = full === 'the database' ? disk : runsDisk;
      try {
        const run = lab.runs.start(t.tiny({ epochs: 4 }));
        await checkpointed(run);
        filled.fill();
        const ended = await nextEvent(lab, 'run.updated', (r) => r.id === run.id && r.status !== 'running');
        await lab.jobs.idle();
        expect(ended).toMatchObject({ status: 'failed', error: expect.stringMatching(reason) });
        expect(lab.runs.get(run.id)).toMatchObject({ status: 'failed' });
        expect(lab.runs.list().find((r) => r.id === run.id)!.status).toBe('failed');
        const kept = lab.runs.get(run.id);
        expect(kept.epochs.map((e) => `${e.epoch}${e.phase}`).slice(0, 2)).toEqual(['0train', '0val']);
        expect(metricsOf(kept)).toEqual(metricsOf(reference).slice(0, kept.epochs.length));
        expect(latestCheckpointEpoch(kept)).toBeGreaterThanOrEqual(1);

        filled.free();
        lab.runs.resume(run.id);
        await lab.jobs.idle();
        const resumed = lab.runs.get(run.id);
        expect(resumed).toMatchObject({ status: 'completed', error: null });
        expect(metricsOf(resumed)).toEqual(metricsOf(reference));
      } finally {
        filled.free();
        runsDisk.unmount();
      }
    });
  }

  it('reads every image of a scan when the thumbnail cache is full; the thumbnails say why they are missing', async () => {
    const { lab } = t;
    const thumbs = mountTmpfs(join(t.home, 'cache', 'thumbs'), 1);
    try {
      thumbs.fill();
      await writePatternFolder(join(t.dir, 'more'), { perClass: 3, size: 12, seed: 9 });
      const ds = await (await lab.datasets.open(join(t.dir, 'more'))).scanned;
      expect(ds).toMatchObject({ status: 'ready', imageCount: 12, problems: { unreadable: 0 } });
      const { images } = lab.datasetImages.images(ds.id, { offset: 0, limit: 60 });
      const [thumb] = await lab.datasetImages.thumbnails([images[0]!.id]);
      expect(thumb).toMatchObject({ dataUrl: null, error: expect.stringMatching(/no space left on device/) });
      thumbs.free();
      const [again] = await lab.datasetImages.thumbnails([images[0]!.id]);
      expect(again!.dataUrl).toMatch(/^data:image\/webp;base64,/);
    } finally {
      thumbs.unmount();
    }
  });

  it('rescans, trains and forgets a dataset while the thumbnail cache can neither grow nor shrink (full, then read-only)', async () => {
    const { lab } = t;
    const thumbs = mountTmpfs(join(t.home, 'cache', 'thumbs'), 1);
    try {
      await writePatternFolder(join(t.dir, 'stuck'), { perClass: 3, size: 12, seed: 11 });
      const ds = await (await lab.datasets.open(join(t.dir, 'stuck'))).scanned;
      thumbs.fill();
      thumbs.setReadOnly(true);
      expect(await lab.datasets.rescan(ds.id).scanned).toMatchObject({
        status: 'ready',
        imageCount: 12,
        problems: { unreadable: 0 },
      });
      const run = lab.runs.start({ ...t.tiny({ epochs: 1 }), datasetId: ds.id });
      await lab.jobs.idle();
      expect(lab.runs.get(run.id).status).toBe('completed');
      expect(await lab.datasets.remove(ds.id)).toBe(true);
      expect(lab.datasets.list().map((d) => d.id)).not.toContain(ds.id);
    } finally {
      thumbs.setReadOnly(false);
      thumbs.unmount();
    }
  });

  it('fails a run with a clear error when its checkpoint folder turns read-only, and trains again once it is writable', async () => {
    const { lab } = t;
    // The checkpoints get their own file system, so it can be remounted read-only under the running lab.
    const runsDisk = mountTmpfs(join(t.home, 'runs'), 8);
    try {
      const run = lab.runs.start(t.tiny({ epochs: 4 }));
      await checkpointed(run);
      runsDisk.setReadOnly(true);
      const ended = await nextEvent(lab, 'run.updated', (r) => r.id === run.id && r.status !== 'running');
      await lab.jobs.idle();
      runsDisk.setReadOnly(false);
      expect(ended).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(
          /^Cannot save the checkpoint in .*: read-only file system\. The previous checkpoint is kept/,
        ),
      });
      expect(latestCheckpointEpoch(lab.runs.get(run.id))).toBeGreaterThanOrEqual(1);
      lab.runs.resume(run.id);
      await lab.jobs.idle();
      expect(metricsOf(lab.runs.get(run.id))).toEqual(metricsOf(reference));
    } finally {
      runsDisk.unmount();
    }
  });
});
