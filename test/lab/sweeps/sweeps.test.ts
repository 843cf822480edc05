import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/lab/dispatch';
import { createHandlers } from '../../../src/lab/handlers/index';
import { createLab, type Lab } from '../../../src/lab/lab';
import { toSweepInput } from '../../../src/lab/sweeps/sweep-inputs';
import { spawnNodeEngine } from '../../../src/lab/engine';
import { FinetuneRequest, type FinetuneStarted } from '../../../src/shared/api/finetune';
import { RunConfig } from '../../../src/shared/api/runs';
import {
  SweepRequest,
  type ActivationsView,
  type ResolutionChart,
  type SweepRequest as SweepRequestInput,
} from '../../../src/shared/api/sweeps';
import type { EventName } from '../../../src/shared/contract';
import { tempDir } from '../../helpers/fixtures';
import { writePatternFolder } from '../../helpers/pattern-images';

const t = tempDir();
const previousBackend = process.env.FIXRES_BACKEND;
let lab: Lab;
let runId: number;
let datasetId: number;
const seen: { event: EventName; payload: unknown }[] = [];
const stale = join(t.dir, 'home', 'cache', 'sweep-decode', 'sweep-killed');

beforeAll(async () => {
  process.env.FIXRES_BACKEND = 'cpu';
  await writePatternFolder(join(t.dir, 'patterns'), { perClass: 10, size: 16 });
  // What an engine killed mid-sweep leaves behind.
  mkdirSync(stale, { recursive: true });
  writeFileSync(join(stale, 'copy.rgb'), 'x');
  lab = createLab({ dataDir: join(t.dir, 'home'), spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
  lab.events.subscribe((event, payload) => seen.push({ event, payload }));
  datasetId = (await (await lab.datasets.open(join(t.dir, 'patterns'))).scanned).id;
  const cfg = { datasetId, width: 0.25, kTrain: 8, epochs: 2, batchSize: 8, lr: 0.05, scale: [0.5, 1] as [number, number] };
  runId = lab.runs.start(RunConfig.parse(cfg)).id;
  await lab.jobs.idle();
}, 60_000);
afterAll(() => {
  lab.close();
  t.cleanup();
  if (previousBackend === undefined) delete process.env.FIXRES_BACKEND;
  else process.env.FIXRES_BACKEND = previousBackend;
});

const sweep = async (request: Partial<SweepRequestInput>) => {
  const started = lab.sweeps.start(SweepRequest.parse({ runId, ...request }));
  return lab.sweeps.settled(started.id);
};

describe('SweepService (real compute engine, cpu backend)', () => {
  it('removes the decoded images of a sweep whose engine was killed when the lab opens its data folder alone', () => {
    expect(existsSync(stale)).toBe(false);
  });

  it('plans K_train/2 … 2·K_train through K_train and K_test* from the dataset’s image sizes', () => {
    const plan = lab.sweeps.plan(runId);
    expect(plan).toMatchObject({ runId, kTrain: 8, step: 2, note: null });
    expect(plan.kTests).toContain(8);
    expect(plan.kTests).toContain(plan.kTestStar);
    // scale (0.5, 1) on squares: E[σ] ≈ 0.86, so K_test* = 0.875 · 8 / 0.86 ≈ 8.1, on the step-2 grid 8.
    expect(plan.kTestStar).toBe(8);
    expect(plan.kTests[0]).toBe(4);
    expect(plan.kTests.at(-1)).toBeGreaterThanOrEqual(16);
  });

  it('stores one point and one activation summary with a Fréchet fit per K_test, and charts them', async () => {
    const done = await sweep({ kTests: [12, 6, 8] });
    // The forward passes ran on ONNX Runtime (faster than every CPU rung of tfjs): that is the sweep's backend.
    expect(done).toMatchObject({
      status: 'completed',
      backend: 'onnxruntime',
      done: 3,
      settings: { kTests: [6, 8, 12], kTrain: 8 },
    });
    expect(done.peakRssMb).toBeGreaterThan(50);
    const detail = lab.sweeps.get(done.id);
    expect(detail.points.map((p) => [p.kTest, p.adapter, p.n])).toEqual([
      [6, 'none', 8],
      [8, 'none', 8],
      [12, 'none', 8],
    ]);
    expect(detail.points.every((p) => p.seconds! > 0 && p.imgPerSec! > 0 && p.sweepId === done.id)).toBe(true);
    expect(detail.activations.map((a) => [a.kTest, a.summary.n])).toEqual([
      [6, 8 * 16],
      [8, 8 * 16],
      [12, 8 * 16],
    ]);
    expect(detail.activations.every((a) => a.frechet !== null && a.frechet.xi === 0.3)).toBe(true);
    expect(seen.filter((e) => e.event === 'sweep.point').map((e) => (e.payload as { kTest: number }).kTest)).toEqual([6, 8, 12]);
    expect(seen.some((e) => e.event === 'sweep.progress')).toBe(true);
    // The engine made the sweep's folder of decoded images in the lab's cache, and removed it at the end.
    expect(readdirSync(join(t.dir, 'home', 'cache', 'sweep-decode'))).toEqual([]);

    const chart = await dispatch(createHandlers(lab), 'sweeps.resolution', { runId });
    expect(chart).toMatchObject({ ok: true, value: { runId, kTrain: 8, kTestStar: 8 } });
    const value = (chart as { value: ResolutionChart }).value;
    expect(value.series.map((s) => [s.kind, s.points.map((p) => p.kTest)])).toEqual([['baseline', [6, 8, 12]]]);
    expect(value.atKTrain!.top1).toBe(detail.points[1]!.top1);
    expect(value.best!.top1).toBe(Math.max(...detail.points.map((p) => p.top1)));

    const view = await dispatch(createHandlers(lab), 'sweeps.activations', { runId, bins: 20 });
    const activations = (view as { value: ActivationsView }).value;
    expect(activations.edges).toHaveLength(21);
    expect(activations.series.map((s) => s.kTest)).toEqual([6, 8, 12]);
    for (const s of activations.series) {
      expect(s.counts.reduce((a, b) => a + b, 0) + s.below + s.above).toBe(s.n);
      expect(s.fittedCdf).toHaveLength(20);
      expect(s.cdf.at(-1)).toBeCloseTo(1 - s.above / s.n, 10);
    }
  });

  it('asks the engine to decode each validation image once, sized from the scanned image sizes', () => {
    const { config } = lab.runs.get(runId);
    const settings = lab.sweeps.list(runId)[0]!.settings;
    const context = { db: lab.db, datasetId, checkpointDir: 'ckpt', config, settings, adapter: 'none' as const, kTests: [8] };
    const input = toSweepInput({ ...context, storedReference: null, decodeDir: '/cache/sweep-decode' });
    // 8 validation images of 16 × 16 pixels.
    expect(input.decodeOnce).toMatchObject({ dir: '/cache/sweep-decode', estimatedBytes: 8 * 16 * 16 * 3 });
    expect(toSweepInput({ ...context, storedReference: null, decodeDir: null }).decodeOnce).toBeNull();
  });

  it('adds the Fréchet series mapped onto the training-transform reference at K_train', async () => {
    const done = await sweep({ kTests: [8, 12], adapter: 'frechet', referenceImages: 16 });
    expect(done).toMatchObject({
      status: 'completed',
      adapter: 'frechet',
      reference: { source: 'train-augment', kTrain: 8, images: 16 },
    });
    const points = lab.sweeps.get(done.id).points;
    // The plain points of this pass were measured by the first sweep already, which keeps them.
    expect(points.map((p) => [p.adapter, p.kTest])).toEqual([
      ['frechet', 8],
      ['frechet', 12],
    ]);
    expect(done.done).toBe(2);
  });

  it('keeps the measured K_test values of a cancelled sweep and resumes with the missing ones only', async () => {
    const started = lab.sweeps.start(SweepRequest.parse({ runId, kTests: [4, 10, 14, 16] }));
    await new Promise<void>((resolve) => {
      const off = lab.events.subscribe((event, payload) => {
        if (event === 'sweep.point' && (payload as { sweepId: number }).sweepId === started.id) {
          off();
          lab.sweeps.cancel(started.id);
          resolve();
        }
      });
    });
    const cancelled = await lab.sweeps.settled(started.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.done).toBeGreaterThanOrEqual(1);
    expect(cancelled.done).toBeLessThan(4);
    expect(readdirSync(join(t.dir, 'home', 'cache', 'sweep-decode'))).toEqual([]);
    const before = seen.length;
    lab.sweeps.resume(started.id);
    const resumed = await lab.sweeps.settled(started.id);
    expect(resumed).toMatchObject({ status: 'completed', done: 4 });
    const measuredAgain = seen.slice(before).filter((e) => e.event === 'sweep.point').length;
    expect(measuredAgain).toBe(4 - cancelled.done);
  });

  it('fine-tunes a child at K_test with FixRes defaults, sweeps it, and charts it as the fine-tuned series', async () => {
    const reply = await dispatch(createHandlers(lab), 'runs.finetune', { parentRunId: runId, kTest: 12, epochs: 1 });
    expect(reply.ok).toBe(true);
    const { run: child, sweep: none } = (reply as { value: FinetuneStarted }).value;
    expect(none).toBeNull();
    expect(child).toMatchObject({
      kind: 'finetune',
      parentId: runId,
      config: {
        kTrain: 12,
        kTest: 12,
        trainable: 'bn+classifier',
        augment: 'da1',
        schedule: 'constant',
        momentum: 0.9,
        width: 0.25,
      },
    });
    expect(child.config.lr).toBeCloseTo((1e-3 * 8) / 512, 12);
    expect(child.config.normalizeValues).toEqual(lab.runs.get(runId).config.normalizeValues);
    await lab.jobs.idle();
    expect(lab.runs.get(child.id).status).toBe('completed');
    await lab.sweeps.settled(lab.sweeps.start(SweepRequest.parse({ runId: child.id, kTests: [8, 12] })).id);
    const chart = await dispatch(createHandlers(lab), 'sweeps.resolution', { runId: child.id });
    const series = (chart as { value: ResolutionChart }).value.series;
    expect(series.map((s) => [s.kind, s.runId, s.kTrain])).toEqual([
      ['baseline', runId, 8],
      ['frechet', runId, 8],
      ['finetuned', child.id, 12],
    ]);
    expect(series[2]!.points.map((p) => p.kTest)).toEqual([8, 12]);
  });

  it('fine-tunes and sweeps the child as one operation: the sweep is queued right behind it, at the parent’s latest K_test list', async () => {
    const parentKTests = lab.sweeps.list(runId)[0]!.settings.kTests;
    const reply = await dispatch(createHandlers(lab), 'runs.finetune', {
      parentRunId: runId,
      kTest: 12,
      epochs: 1,
      sweepAfter: {},
    });
    const { run: child, sweep } = (reply as { value: FinetuneStarted }).value;
    expect(sweep).toMatchObject({ runId: child.id, status: 'queued', adapter: 'none', settings: { kTests: parentKTests } });
    expect(lab.jobs.list().map((j) => j.kind)).toEqual(['train', 'sweep']);
    const swept = await lab.sweeps.settled(sweep!.id);
    expect(lab.runs.get(child.id).status).toBe('completed');
    expect(swept).toMatchObject({ status: 'completed', done: parentKTests.length });
    expect(lab.sweeps.get(swept.id).points.map((p) => p.kTest)).toEqual(parentKTests);
  });

  it('ends the sweep queued behind a fine-tune that did not complete, saying to resume the run first', async () => {
    const { run, sweep } = lab.finetunes.start(
      FinetuneRequest.parse({ parentRunId: runId, kTest: 12, epochs: 1, sweepAfter: { kTests: [8] } }),
    );
    lab.runs.cancel(run.id);
    const ended = await lab.sweeps.settled(sweep!.id);
    expect(lab.runs.get(run.id).status).toBe('cancelled');
    expect(ended).toMatchObject({
      status: 'cancelled',
      error: `Run #${run.id} was cancelled before it could be swept: resume it, then this sweep`,
    });
    expect(lab.sweeps.get(ended.id).points).toEqual([]);
  });

  it('normalises a fine-tune exactly as its parent, whatever the child config says', async () => {
    const parent = lab.runs.start(
      RunConfig.parse({ datasetId, width: 0.25, kTrain: 8, epochs: 1, batchSize: 8, normalize: 'dataset' }),
    );
    await lab.jobs.idle();
    const child = lab.runs.start(RunConfig.parse({ datasetId, parentRunId: parent.id, kTrain: 12, epochs: 1, batchSize: 8 }));
    await lab.jobs.idle();
    const values = lab.runs.get(parent.id).config.normalizeValues;
    expect(values.mean).not.toEqual([0.485, 0.456, 0.406]);
    expect(lab.runs.get(child.id).config.normalizeValues).toEqual(values);
  });

  it('refuses unknown runs and sweeps, naming the field', () => {
    expect(() => lab.sweeps.start(SweepRequest.parse({ runId: 999 }))).toThrow(/No run with id 999/);
    expect(() => lab.sweeps.cancel(999)).toThrow(/No sweep with id 999/);
  });
});
