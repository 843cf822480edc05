import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost, spawnNodeEngine } from '../../../src/lab/engine';
import { createLab, type Lab } from '../../../src/lab/lab';
import type { RunDetail } from '../../../src/shared/api/runs';
import { tempDir } from '../../helpers/fixtures';
import { manyImages } from '../helpers/datasets';
import { enginePids, killNewestEngine } from '../helpers/processes';
import { metricsOf, nextEvent, setEnv, startTrainingLab, type TrainingLab } from '../helpers/training-lab';

let t: TrainingLab;
let reference: RunDetail;
beforeAll(async () => {
  t = await startTrainingLab();
  reference = await t.trainToEnd({ epochs: 3 });
  expect(reference.status).toBe('completed');
});
afterAll(() => t.close());

/** Runs `test` on a fresh lab (no engine started yet) with a dataset of `images` images in `<dir>/data`. */
async function withFreshLab(images: number, test: (lab: Lab, dir: string) => Promise<void>): Promise<void> {
  const local = tempDir('fixres-faults-');
  await manyImages(join(local.dir, 'data'), images);
  const lab = createLab({ dataDir: join(local.dir, 'home'), spawnEngine: spawnNodeEngine, transport: 'web', version: 'faults' });
  try {
    await test(lab, local.dir);
  } finally {
    lab.close();
    local.cleanup();
  }
}

describe('the engine process dies', () => {
  it('fails the job of an engine that dies before it is ready, or cannot start, with the reason; the next job gets a fresh engine', async () => {
    await withFreshLab(10, async (lab, dir) => {
      writeFileSync(join(dir, 'die.cjs'), 'process.exit(7);');
      const undo = setEnv({ NODE_OPTIONS: `--require ${join(dir, 'die.cjs')}` });
      const failed = await (await lab.datasets.open(join(dir, 'data')).finally(undo)).scanned;
      expect(failed).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/image engine stopped unexpectedly \(exit code 7\)/),
      });

      const execPath = process.execPath;
      process.execPath = join(dir, 'no-such-node');
      const unstarted = await lab.datasets.rescan(failed.id).scanned.finally(() => (process.execPath = execPath));
      expect(unstarted).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/image engine could not be started \(.*ENOENT/),
      });

      expect(await lab.datasets.rescan(failed.id).scanned).toMatchObject({ status: 'ready', imageCount: 10 });
    });
  });

  it('marks a scan whose engine is killed failed with the reason, not scanning forever, and scans again afterwards', async () => {
    await withFreshLab(2000, async (lab, dir) => {
      const reading = nextEvent(lab, 'dataset.scanProgress', (p) => p.phase === 'reading');
      const opened = await lab.datasets.open(join(dir, 'data'));
      await reading;
      killNewestEngine();
      expect(await opened.scanned).toMatchObject({ status: 'failed', error: expect.stringMatching(/killed by SIGKILL/) });
      expect(lab.datasets.get(opened.dataset.id).status).toBe('failed');
      expect(await lab.datasets.rescan(opened.dataset.id).scanned).toMatchObject({ status: 'ready', imageCount: 2000 });
    });
  });

  it('survives a cancel sent to an engine that has just been killed (no EPIPE crash), and runs the next job', async () => {
    const host = new EngineHost(spawnNodeEngine, 'test engine');
    try {
      const root = join(t.dir, 'patterns');
      await host.run('scan', { root });
      const controllers = Array.from({ length: 40 }, () => new AbortController());
      const jobs = controllers.map((c) =>
        host.run('scan', { root }, { signal: c.signal }).then(
          () => 'done',
          (e: Error) => e.name,
        ),
      );
      killNewestEngine();
      for (let i = 0; i < 400; i++) {
        controllers[i % controllers.length]!.abort();
        await new Promise((r) => setImmediate(r));
      }
      for (const outcome of await Promise.all(jobs)) expect(['done', 'EngineExited', 'AbortError']).toContain(outcome);
      expect(await host.run('scan', { root })).toMatchObject({ imageCount: 40 });
    } finally {
      host.stop();
    }
  });

  it('turns a run killed mid-epoch or mid-checkpoint into an interrupted run that resumes to the same metrics as an uninterrupted one', async () => {
    const { lab } = t;
    const run = lab.runs.start(t.tiny({ epochs: 3 }));
    // Mid-epoch before any checkpoint, right after epoch 0's rows (the engine is writing its checkpoint), and
    // mid-epoch again in the resumed session. Each moment leaves at least a whole epoch of work, so even a
    // slow test process kills the engine before the run ends (waiting for the last epoch left ~0.3 s).
    const killAt = [
      () => nextEvent(lab, 'run.progress', (p) => p.runId === run.id),
      () => nextEvent(lab, 'run.updated', (r) => r.id === run.id && r.epochsDone === 1),
      () => nextEvent(lab, 'run.progress', (p) => p.runId === run.id),
    ];
    for (const [i, at] of killAt.entries()) {
      if (i > 0) lab.runs.resume(run.id);
      await at();
      killNewestEngine();
      await lab.jobs.idle();
      expect(lab.runs.get(run.id)).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/killed by SIGKILL/) });
    }
    lab.runs.resume(run.id);
    await lab.jobs.idle();
    const resumed = lab.runs.get(run.id);
    expect(resumed.status).toBe('completed');
    expect(metricsOf(resumed)).toEqual(metricsOf(reference));
    const files = readdirSync(resumed.checkpointDir!);
    expect(files.filter((f) => f.startsWith('.tmp') || f.endsWith('.tmp'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('ckpt-'))).toHaveLength(1);
  });

  it('goes on with queued runs on a fresh engine after the compute engine crashes', async () => {
    const { lab } = t;
    const first = lab.runs.start(t.tiny({ epochs: 3 }));
    // One epoch is enough to show the fresh engine runs it to the end.
    const second = lab.runs.start(t.tiny({ epochs: 1 }));
    expect(lab.jobs.list().map((j) => j.state)).toEqual(['running', 'queued']);
    await nextEvent(lab, 'run.progress', (p) => p.runId === first.id);
    const killed = killNewestEngine();
    await lab.jobs.idle();
    expect(lab.runs.get(first.id).status).toBe('interrupted');
    expect(lab.runs.get(second.id)).toMatchObject({ status: 'completed', epochsDone: 1 });
    expect(enginePids()).not.toContain(killed);
    expect(lab.jobs.list()).toEqual([]);
  });

  it('fails a run whose results cannot be written (the database refuses an epoch row), stops it in the engine, and keeps the lab working', async () => {
    const { lab } = t;
    lab.db.exec(
      `CREATE TRIGGER refuse_epochs BEFORE INSERT ON epochs BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
    );
    const run = lab.runs.start(t.tiny({ epochs: 3 }));
    const progressAfterFailure: number[] = [];
    const off = lab.events.subscribe((event, payload) => {
      if (event === 'run.progress' && lab.runs.get(run.id).status === 'failed')
        progressAfterFailure.push((payload as { batch: number }).batch);
    });
    try {
      await lab.jobs.idle();
    } finally {
      lab.db.exec('DROP TRIGGER refuse_epochs');
      off();
    }
    expect(lab.runs.get(run.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/database or disk is full/),
      epochsDone: 0,
    });
    expect(progressAfterFailure).toEqual([]);
    const next = lab.runs.start(t.tiny({ epochs: 1 }));
    await lab.jobs.idle();
    expect(lab.runs.get(next.id).status).toBe('completed');
  });
});
