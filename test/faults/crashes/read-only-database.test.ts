import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../src/shared/api/runs';
import { SweepRequest } from '../../../src/shared/api/sweeps';
import { WorkflowRequest } from '../../../src/shared/api/workflows';
import { manyImages } from '../helpers/datasets';
import { metricsOf, nextEvent, startTrainingLab, type TrainingLab } from '../helpers/training-lab';

/**
 * The data folder turns read-only while results are written. Linux refuses to remount a file system
 * read-only while SQLite holds its file open for writing, so SQLite's own read-only mode stands in:
 * with `query_only` every write fails with SQLITE_READONLY, the job's end included.
 */
let t: TrainingLab;
let reference: RunDetail;
beforeAll(async () => {
  t = await startTrainingLab();
  reference = await t.trainToEnd({ epochs: 3 });
  expect(reference.status).toBe('completed');
});
afterAll(() => t.close());

/** Runs `during` with the database read-only, then makes it writable again (also when `during` throws). */
async function readOnly<T>(during: () => Promise<T>): Promise<T> {
  t.lab.db.pragma('query_only = ON');
  try {
    return await during();
  } finally {
    t.lab.db.pragma('query_only = OFF');
  }
}

/** What the database itself holds for a row (not what the lab shows). */
const stored = (table: 'runs' | 'sweeps' | 'datasets' | 'workflows', id: number) =>
  t.lab.db.prepare(`SELECT status, error FROM ${table} WHERE id = ?`).get(id);

const READ_ONLY = /readonly database/;

describe('the database turns read-only while results are written', () => {
  it('fails a run mid-run, shows it failed though that cannot be saved, saves it once writable, and resumes to the same metrics', async () => {
    const { lab } = t;
    const run = lab.runs.start(t.tiny({ epochs: 3 }));
    await expect
      .poll(() => lab.runs.get(run.id).checkpoint?.epoch ?? 0, { interval: 10, timeout: 30_000 })
      .toBeGreaterThanOrEqual(1);
    await readOnly(async () => {
      await lab.jobs.idle();
      expect(lab.runs.get(run.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(READ_ONLY) });
      expect(lab.runs.list().find((r) => r.id === run.id)!.status).toBe('failed');
      expect(stored('runs', run.id)).toMatchObject({ status: 'running' });
    });
    // Written once the database takes writes again (listing retries it).
    lab.runs.list();
    expect(stored('runs', run.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(READ_ONLY) });
    const kept = lab.runs.get(run.id);
    expect(kept.epochsDone).toBeGreaterThanOrEqual(1);
    expect(metricsOf(kept)).toEqual(metricsOf(reference).slice(0, kept.epochs.length));
    lab.runs.resume(run.id);
    await lab.jobs.idle();
    const resumed = lab.runs.get(run.id);
    expect(resumed).toMatchObject({ status: 'completed', error: null });
    expect(metricsOf(resumed)).toEqual(metricsOf(reference));
  });

  it('fails a sweep mid-sweep, shows it failed though that cannot be saved, keeps its points, and resumes once writable', async () => {
    const { lab } = t;
    const kTests = [6, 8, 12, 16];
    const started = lab.sweeps.start(SweepRequest.parse({ runId: reference.id, kTests }));
    await nextEvent(lab, 'sweep.point', (p) => p.sweepId === started.id);
    await readOnly(async () => {
      expect(await lab.sweeps.settled(started.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(READ_ONLY) });
      expect(stored('sweeps', started.id)).toMatchObject({ status: 'running' });
    });
    lab.sweeps.list();
    expect(stored('sweeps', started.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(READ_ONLY) });
    expect(lab.sweeps.get(started.id).points.length).toBeGreaterThanOrEqual(1);
    lab.sweeps.resume(started.id);
    expect(await lab.sweeps.settled(started.id)).toMatchObject({ status: 'completed', done: kTests.length, error: null });
  });

  it('fails a workflow whose sweep step cannot store its results, shows it failed though that cannot be saved, and resumes at that step', async () => {
    const { lab } = t;
    const started = await lab.workflows.start(
      WorkflowRequest.parse({
        datasetId: t.datasetId,
        kTrain: 8,
        width: 0.25,
        epochs: 2,
        batchSize: 8,
        lr: 0.05,
        scale: [0.5, 1],
        kTests: [6, 8, 12, 16],
        adapt: false,
        finetune: { epochs: 1 },
      }),
    );
    const sweepStep = () => lab.workflows.get(started.id).steps.find((s) => s.step === 'sweep')!;
    await nextEvent(lab, 'sweep.point', (p) => p.sweepId === sweepStep().sweepId);
    await readOnly(async () => {
      expect(await lab.workflows.settled(started.id)).toMatchObject({
        status: 'failed',
        currentStep: 'sweep',
        error: expect.stringMatching(READ_ONLY),
      });
      expect(stored('workflows', started.id)).toMatchObject({ status: 'running' });
      // Its sweep step's end could not be stored either; it shows the workflow's end, not "running".
      expect(sweepStep().status).toBe('failed');
    });
    lab.workflows.list();
    expect(stored('workflows', started.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(READ_ONLY) });
    lab.workflows.resume(started.id);
    expect(await lab.workflows.settled(started.id)).toMatchObject({ status: 'completed', error: null });
  });

  it('fails a scan whose results cannot be saved, shows it failed though that cannot be saved either, and rescans once writable', async () => {
    const { lab } = t;
    const root = join(t.dir, 'large');
    await manyImages(root, 500);
    const opened = await lab.datasets.open(root);
    await nextEvent(lab, 'dataset.scanProgress', (p) => p.datasetId === opened.dataset.id && p.phase === 'reading');
    await readOnly(async () => {
      expect(await opened.scanned).toMatchObject({ status: 'failed', error: expect.stringMatching(READ_ONLY) });
      expect(lab.datasets.list().find((d) => d.id === opened.dataset.id)!.status).toBe('failed');
      expect(stored('datasets', opened.dataset.id)).toMatchObject({ status: 'scanning' });
    });
    lab.datasets.list();
    expect(stored('datasets', opened.dataset.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(READ_ONLY) });
    expect(await lab.datasets.rescan(opened.dataset.id).scanned).toMatchObject({ status: 'ready', imageCount: 500 });
  });
});
