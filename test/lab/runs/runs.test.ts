import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import { type RunConfigInput, type RunDetail, RunConfig } from '../../../src/shared/api/runs';
import type { EventName } from '../../../src/shared/contract';
import { MistakesRequest } from '../../../src/shared/api/outcomes';
import { outcomeDetail, outcomeMistakes } from '../../../src/lab/outcomes';
import { tempDir } from '../../helpers/fixtures';
import { writePatternFolder } from '../../helpers/pattern-images';

const t = tempDir();
const home = join(t.dir, 'home');
const previousBackend = process.env.FIXRES_BACKEND;
let lab: Lab;
let datasetId: number;
const seen: EventName[] = [];

beforeAll(async () => {
  process.env.FIXRES_BACKEND = 'cpu';
  await writePatternFolder(join(t.dir, 'patterns'), { perClass: 10, size: 12 });
  lab = createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
  lab.events.subscribe((event) => seen.push(event));
  datasetId = (await (await lab.datasets.open(join(t.dir, 'patterns'))).scanned).id;
});
afterAll(() => {
  lab.close();
  t.cleanup();
  if (previousBackend === undefined) delete process.env.FIXRES_BACKEND;
  else process.env.FIXRES_BACKEND = previousBackend;
});

const tiny = (extra: Partial<RunConfigInput> = {}) =>
  RunConfig.parse({
    datasetId,
    width: 0.25,
    kTrain: 8,
    epochs: 2,
    batchSize: 8,
    lr: 0.05,
    scale: [0.5, 1],

    ...extra,
  });

const metrics = (run: RunDetail) => run.epochs.map((e) => [e.epoch, e.phase, e.loss, e.acc, e.lr]);

let reference: RunDetail;

describe('RunService (real compute engine, cpu backend)', () => {
  it('trains a run to completion with one row per epoch and phase, its backend, time, speed and memory', async () => {
    const run = lab.runs.start(tiny());
    expect(run).toMatchObject({
      status: 'running',
      kind: 'train',
      config: { kTest: 8, trainable: 'full', trainImages: 32, valImages: 8 },
    });
    await lab.jobs.idle();
    reference = lab.runs.get(run.id);
    expect(reference).toMatchObject({ status: 'completed', backend: 'cpu', epochsDone: 2, checkpoint: { epoch: 2, batch: 0 } });
    expect(reference.epochs.map((e) => `${e.epoch}${e.phase}`)).toEqual(['0train', '0val', '1train', '1val']);
    // Throughput is the training images of both epochs over the training time, which fits in the wall time.
    const trainSeconds = reference.epochs.filter((e) => e.phase === 'train').reduce((s, e) => s + e.seconds!, 0);
    expect(reference.imgPerSec).toBeCloseTo((2 * 32) / trainSeconds, 0);
    expect(trainSeconds).toBeLessThanOrEqual(reference.wallSeconds!);
    expect(reference.peakRssMb).toBeGreaterThan(50);
    expect(existsSync(join(home, 'runs', String(run.id), 'latest.json'))).toBe(true);
    expect(seen).toEqual(expect.arrayContaining(['run.updated', 'run.progress', 'jobs.changed', 'outcome.saved']));
    // The last epoch's validation is kept as the run's point at its K_test: where the model is wrong.
    const point = outcomeDetail(lab.db, { runId: run.id, kTest: 8, adapter: 'none' });
    const lastVal = reference.epochs.find((e) => e.epoch === 1 && e.phase === 'val')!;
    expect(point).toMatchObject({ source: 'training', n: 8, classNames: expect.any(Array) });
    expect(point.top1).toBeCloseTo(lastVal.acc!, 6);
    const mistakes = outcomeMistakes(lab.db, MistakesRequest.parse({ runId: run.id, kTest: 8, adapter: 'none' }));
    expect(mistakes.total).toBe(point.n - point.correct);
    expect(mistakes.items.every((m) => m.imageId !== null && m.trueClass !== m.predictedClass)).toBe(true);
  });

  it('queues runs one at a time, cancels a queued one at once, and resumes a cancelled one to the same metrics', async () => {
    const first = lab.runs.start(tiny());
    const second = lab.runs.start(tiny());
    expect(lab.jobs.list().map((j) => [j.runId, j.state])).toEqual([
      [first.id, 'running'],
      [second.id, 'queued'],
    ]);
    expect(lab.runs.cancel(second.id).status).toBe('cancelled');
    await new Promise<void>((resolve) => {
      const off = lab.events.subscribe((event, payload) => {
        if (event === 'run.progress' && (payload as { runId: number }).runId === first.id) {
          off();
          lab.runs.cancel(first.id);
          resolve();
        }
      });
    });
    await lab.jobs.idle();
    const cancelled = lab.runs.get(first.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.checkpoint).not.toBeNull();
    lab.runs.resume(first.id);
    await lab.jobs.idle();
    const resumed = lab.runs.get(first.id);
    expect(resumed.status).toBe('completed');
    expect(metrics(resumed)).toEqual(metrics(reference));
  });

  it('marks a run interrupted when the engine is killed mid-epoch, then resumes it to the same metrics', async () => {
    const run = lab.runs.start(tiny());
    const off = lab.events.subscribe((event, payload) => {
      const p = payload as { runId: number; epoch: number };
      if (event === 'run.progress' && p.runId === run.id && p.epoch === 1) {
        off();
        lab.engines.compute.stop();
      }
    });
    await lab.jobs.idle();
    const interrupted = lab.runs.get(run.id);
    expect(interrupted).toMatchObject({ status: 'interrupted', epochsDone: 1 });
    expect(interrupted.error).toMatch(/engine stopped unexpectedly/);
    lab.runs.resume(run.id);
    await lab.jobs.idle();
    const resumed = lab.runs.get(run.id);
    expect(resumed.backend).toBe('cpu');
    expect(metrics(resumed)).toEqual(metrics(reference));
  });

  it('fails a run whose backend cannot load here, saying why, and retries it on one that loads to the same metrics', async () => {
    // No machine that runs the tests has tfjs-node-gpu with CUDA 11.2 and a GPU.
    const run = lab.runs.start(tiny({ backend: 'tensorflow-gpu' }));
    await lab.jobs.idle();
    const failed = lab.runs.get(run.id);
    expect(failed).toMatchObject({ status: 'failed', epochsDone: 0 });
    expect(failed.error).toMatch(/^The forced backend "tensorflow-gpu" is not available: .+; to fix: /);
    expect(lab.runs.resume(run.id, { backend: 'cpu' }).config.backend).toBe('cpu');
    await lab.jobs.idle();
    const retried = lab.runs.get(run.id);
    expect(retried).toMatchObject({ status: 'completed', backend: 'cpu', error: null, config: { backend: 'cpu' } });
    expect(metrics(retried)).toEqual(metrics(reference));
  });

  it('fine-tunes a child run from its parent checkpoint', async () => {
    const child = lab.runs.start(tiny({ parentRunId: reference.id, kTrain: 12, augment: 'da1', epochs: 1, lr: 0.01 }));
    expect(child).toMatchObject({ kind: 'finetune', parentId: reference.id, config: { trainable: 'last-bn+classifier' } });
    await lab.jobs.idle();
    expect(lab.runs.get(child.id)).toMatchObject({ status: 'completed', epochsDone: 1 });
  });

  it('evaluates a checkpoint at another K_test with pooled features', async () => {
    const result = await lab.runs.evaluate(reference.id, { kTest: 16, returnFeatures: true });
    expect(result).toMatchObject({ k: 16, n: 8, backend: 'cpu' });
    expect(result.features!.values.length).toBe(8 * result.features!.dim);
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(8);
  });

  it('refuses a batch larger than the training set, naming the field, and stores nothing', () => {
    const before = lab.runs.list().length;
    expect(() => lab.runs.start(tiny({ batchSize: 64 }))).toThrow(/fewer than one batch of 64/);
    expect(lab.runs.list()).toHaveLength(before);
  });

  it('removes the folder a run spills decoded images to when the run stops', async () => {
    const run = lab.runs.start(tiny({ epochs: 1 }));
    const spill = join(home, 'cache', 'run-decode', String(run.id));
    mkdirSync(spill, { recursive: true });
    writeFileSync(join(spill, 'copy.rgb'), 'x');
    await lab.jobs.idle();
    expect(lab.runs.get(run.id).status).toBe('completed');
    expect(existsSync(spill)).toBe(false);
  });

  it('deletes a finished run with its checkpoints', async () => {
    const dir = lab.runs.get(reference.id).checkpointDir!;
    expect(await lab.runs.delete(reference.id)).toEqual({ deleted: true });
    expect(existsSync(dir)).toBe(false);
    expect(() => lab.runs.get(reference.id)).toThrow(`Run #${reference.id} was deleted`);
  });

  it('marks runs left running interrupted when the lab starts again', () => {
    const run = lab.runs.start(tiny({ epochs: 50 }));
    lab.close();
    lab = createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
    expect(lab.runs.get(run.id)).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/closed while this run/) });
  });
});
