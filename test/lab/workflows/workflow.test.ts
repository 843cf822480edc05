import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundToMultiple } from '../../../src/core/apparent-size';
import { dispatch } from '../../../src/lab/dispatch';
import { createHandlers } from '../../../src/lab/handlers/index';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import type { RunProgress } from '../../../src/shared/api/runs';
import {
  WorkflowRequest,
  type KTrainSuggestion,
  type Workflow,
  type WorkflowRequest as Request,
} from '../../../src/shared/api/workflows';
import { tempDir } from '../../helpers/fixtures';
import { runOnnx, scaledError } from '../../helpers/ort';
import { useTestBackend } from '../../helpers/tf-backend';
import { loadCheckpointModel } from '../../../src/engine/checkpoint/checkpoint-model';
import { importPretrained } from '../../../src/engine/models/import-pretrained';
import { RunExportRequest, WorkflowExportRequest } from '../../../src/shared/api/exports';

const t = tempDir();
const home = join(t.dir, 'home');
const previousBackend = process.env.FIXRES_BACKEND;
let lab: Lab;
let datasetId: number;

const open = () => createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });

beforeAll(async () => {
  process.env.FIXRES_BACKEND = 'cpu';
  lab = open();
  const dir = join(t.dir, 'shapes');
  await lab.samples.writeSynthetic({
    dir,
    classes: 4,
    perClass: 12,
    size: 24,
    seed: 0,
    objectScale: [0.3, 0.8],
    valFraction: 0.25,
  });
  datasetId = (await (await lab.datasets.open(dir)).scanned).id;
}, 60_000);
afterAll(() => {
  lab.close();
  t.cleanup();
  if (previousBackend === undefined) delete process.env.FIXRES_BACKEND;
  else process.env.FIXRES_BACKEND = previousBackend;
});

const tiny = (extra: Partial<Request> = {}) =>
  WorkflowRequest.parse({
    datasetId,
    width: 0.25,
    epochs: 2,
    batchSize: 8,
    lr: 0.05,
    scale: [0.25, 1],
    kTests: [6, 8, 12],
    finetune: { epochs: 1 },
    ...extra,
  });

const byStep = (w: Workflow) => Object.fromEntries(w.steps.map((s) => [s.step, s]));

describe('WorkflowService (real compute engine, cpu backend)', () => {
  it('runs train small, test large end to end on a synthetic set, choosing K_train from the budget by probing', async () => {
    const progress: string[] = [];
    const off = lab.events.subscribe((event, payload) => {
      if (event === 'workflow.progress') progress.push((payload as { step: string }).step);
    });
    const started = lab.workflows.start(tiny({ budgetMinutes: 0.01 }));
    expect(started.steps.map((s) => s.step)).toEqual([
      'plan',
      'train',
      'analyze',
      'sweep',
      'adapt',
      'finetune',
      'sweep-finetuned',
      'summary',
    ]);
    const done = await lab.workflows.settled(started.id);
    off();
    expect(done.status).toBe('completed');
    expect(done.steps.every((s) => s.status === 'completed')).toBe(true);
    const steps = byStep(done);
    const plan = steps.plan!.output as { kTrain: number; source: string; suggestion: KTrainSuggestion };
    // 24-px images: K_train ≤ 0.875·24 = 21, so 8, 12, 16 or 20; a 0.6 s budget fits none, so the smallest.
    expect(plan).toMatchObject({
      kTrain: 8,
      source: 'suggested',
      suggestion: { maxK: 21, fits: false, cost: { source: 'probe' } },
    });
    expect(plan.suggestion.cost.samples.map((s) => s.k)).toEqual([8, 20]);
    expect(plan.suggestion.estimates.map((e) => e.k)).toEqual([8, 12, 16, 20]);

    const trainRun = lab.runs.get(steps.train!.runId!);
    expect(trainRun).toMatchObject({ status: 'completed', config: { kTrain: 8, width: 0.25 } });
    expect(steps.train!.imgPerSec).toBe(trainRun.imgPerSec);
    expect(steps.analyze!.output).toMatchObject({ kTrain: 8, kTestStar: expect.any(Number), multiple: 2 });
    const analysed = steps.analyze!.output as { kTestStar: number; kTestStarExact: number };
    expect(analysed.kTestStar).toBe(roundToMultiple(analysed.kTestStarExact, 2));
    expect(lab.sweeps.get(steps.sweep!.sweepId!)).toMatchObject({ adapter: 'none', status: 'completed', done: 3 });
    expect(lab.sweeps.get(steps.adapt!.sweepId!)).toMatchObject({
      adapter: 'frechet',
      status: 'completed',
      reference: { source: 'train-augment' },
    });
    const best = (steps.sweep!.output as { best: { kTest: number } }).best;
    const child = lab.runs.get(steps.finetune!.runId!);
    expect(child).toMatchObject({
      kind: 'finetune',
      parentId: trainRun.id,
      config: { kTrain: best.kTest, trainable: 'bn+classifier' },
    });
    expect(steps['sweep-finetuned']!.runId).toBe(child.id);

    const summary = done.summary!;
    expect(summary).toMatchObject({ kTrain: 8, trainRunId: trainRun.id, finetuneRunId: child.id });
    expect(summary.gain).toBeCloseTo(summary.best!.top1 - summary.atKTrain!.top1, 12);
    expect(summary.best!.top1).toBeGreaterThanOrEqual(summary.bestTested!.top1);
    expect(summary.phases.map((p) => p.step)).toEqual(done.steps.map((s) => s.step).slice(0, -1));
    expect(summary.phases.find((p) => p.step === 'train')!.peakRssMb).toBeGreaterThan(50);
    expect(new Set(progress)).toEqual(new Set(['train', 'sweep', 'adapt', 'finetune', 'sweep-finetuned']));

    const suggested = await dispatch(createHandlers(lab), 'workflows.suggest', { datasetId, width: 0.25, budgetMinutes: 60 });
    const fromHistory = (suggested as { value: KTrainSuggestion }).value;
    expect(fromHistory.cost).toMatchObject({ source: 'history', samples: [{ k: 8, runId: trainRun.id }] });
    expect(fromHistory).toMatchObject({ kTrain: 20, fits: true });
  }, 120_000);

  it('exports the workflow: CSV and JSON that parse, a script-free HTML report with tables and SVG, and a model that predicts as the checkpoint does', async () => {
    const workflow = lab.workflows.list().find((w) => w.status === 'completed')!;
    const out = join(t.dir, 'export');
    const result = await lab.exports.exportWorkflow(WorkflowExportRequest.parse({ id: workflow.id, dir: out }));
    expect(result.files.map((f) => relative(out, f.path)).sort()).toEqual(
      [
        'activations.csv',
        'epochs.csv',
        'model/model.json',
        'model/model.onnx',
        'model/preprocessing.json',
        'model/weights.bin',
        'report.html',
        'results.json',
        'speed.csv',
        'sweep-points.csv',
      ].sort(),
    );
    expect(result.files.every((f) => f.bytes > 0)).toBe(true);
    const csv = readFileSync(join(out, 'sweep-points.csv'), 'utf8').trim().split('\r\n');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(csv[0]).toBe('run_id,run_kind,k_train,k_test,adapter,top1,top5,loss,n,seconds,img_per_sec,sweep_id');
    expect(csv).toHaveLength(1 + results.points.length);
    expect(results.workflow.summary).toEqual(workflow.summary);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html).toContain('<table>');
    expect(html).toContain('gain over testing at K_train');
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);

    const finalRun = lab.runs.get(workflow.summary!.finetuneRunId!);
    const config = JSON.parse(readFileSync(join(out, 'model', 'preprocessing.json'), 'utf8'));
    expect(config).toMatchObject({
      architecture: 'resnet-mini',
      num_classes: 4,
      input_size: [3, finalRun.config.kTrain, finalRun.config.kTrain],
      crop_pct: 0.875,
      mean: finalRun.config.normalizeValues.mean,
      fine_tuned: { parent_run: workflow.summary!.trainRunId, trainable: 'bn+classifier' },
    });
    await useTestBackend();
    const { model: exported } = await importPretrained(join(out, 'model'), { numClasses: 4 });
    const original = await loadCheckpointModel(finalRun.checkpointDir!, 4);
    const x = tf.randomNormal([3, 12, 12, 3], 0, 1, 'float32', 7);
    const [a, b] = [exported.predict(x) as tf.Tensor, original.predict(x) as tf.Tensor];
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    const onnx = await runOnnx(readFileSync(join(out, 'model', 'model.onnx')), x as tf.Tensor4D);
    expect(scaledError(onnx['logits']!, b)).toBeLessThan(1e-4);
    tf.dispose([x, a, b, ...Object.values(onnx)]);
    exported.dispose();
    original.dispose();

    await expect(
      lab.exports.exportWorkflow(WorkflowExportRequest.parse({ id: workflow.id, dir: out, formats: ['html'] })),
    ).rejects.toThrow(/already holds report.html/);
    const again = await lab.exports.exportWorkflow(
      WorkflowExportRequest.parse({ id: workflow.id, dir: out, formats: ['html'], overwrite: true }),
    );
    expect(again.files).toHaveLength(1);
    await expect(lab.exports.exportRun(RunExportRequest.parse({ id: finalRun.id, dir: 'relative/folder' }))).rejects.toThrow(
      /absolute folder/,
    );
    await expect(lab.exports.exportRun(RunExportRequest.parse({ id: finalRun.id, dir: join(home, 'exports') }))).rejects.toThrow(
      /outside FixRes Lab's data folder/,
    );
  });

  it('resumes at the step where it stopped after the engine is killed mid-training and the app is closed mid-sweep', async () => {
    const started = lab.workflows.start(tiny({ kTrain: 8, epochs: 3, name: 'resumed' }));
    const kill = lab.events.subscribe((event, payload) => {
      const p = payload as RunProgress;
      if (event === 'run.progress' && p.runId === byStep(lab.workflows.get(started.id)).train!.runId && p.epoch === 1) {
        kill();
        lab.engines.compute.stop();
      }
    });
    const interrupted = await lab.workflows.settled(started.id);
    expect(interrupted).toMatchObject({ status: 'interrupted', currentStep: 'train' });
    const before = byStep(interrupted);
    expect(before.plan!.status).toBe('completed');
    expect(before.train!.status).toBe('interrupted');
    expect(lab.runs.get(before.train!.runId!)).toMatchObject({ status: 'interrupted', epochsDone: 1 });

    lab.workflows.resume(started.id);
    await new Promise<void>((resolve) => {
      const off = lab.events.subscribe((event, payload) => {
        if (event === 'sweep.point' && (payload as { runId: number }).runId === before.train!.runId) {
          off();
          resolve();
        }
      });
    });
    lab.close();
    lab = open();
    const closed = lab.workflows.get(started.id);
    expect(closed).toMatchObject({ status: 'interrupted', currentStep: 'sweep' });
    const atSweep = byStep(closed);
    expect(atSweep.train).toMatchObject({ status: 'completed', runId: before.train!.runId, startedAt: before.train!.startedAt });
    expect(atSweep.plan!.finishedAt).toBe(before.plan!.finishedAt);
    expect(lab.sweeps.get(atSweep.sweep!.sweepId!).done).toBeGreaterThanOrEqual(1);

    lab.workflows.resume(started.id);
    const done = await lab.workflows.settled(started.id);
    expect(done.status).toBe('completed');
    const after = byStep(done);
    expect(after.sweep!.sweepId).toBe(atSweep.sweep!.sweepId);
    expect(lab.runs.get(after.train!.runId!)).toMatchObject({ status: 'completed', epochsDone: 3 });
    expect(lab.runs.list().filter((r) => r.kind === 'train' && r.name.startsWith(done.name))).toHaveLength(1);
    expect(done.summary!.trainRunId).toBe(before.train!.runId);
  }, 120_000);

  it('cancels at any step and refuses to resume a completed workflow', async () => {
    const started = lab.workflows.start(tiny({ kTrain: 8, epochs: 50 }));
    await new Promise<void>((resolve) => {
      const off = lab.events.subscribe((event) => {
        if (event === 'workflow.progress') {
          off();
          resolve();
        }
      });
    });
    lab.workflows.cancel(started.id);
    const cancelled = await lab.workflows.settled(started.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', currentStep: 'train' });
    expect(lab.runs.get(byStep(cancelled).train!.runId!).status).toBe('cancelled');
    const completed = lab.workflows.list().find((w) => w.status === 'completed')!;
    expect(() => lab.workflows.resume(completed.id)).toThrow(/has completed/);
  }, 60_000);

  it('fails at training when its backend cannot load here, and retries on one that loads, its unfinished run too', async () => {
    // No machine that runs the tests has tfjs-node-gpu with CUDA 11.2 and a GPU.
    const started = lab.workflows.start(tiny({ kTrain: 8, epochs: 1, backend: 'tensorflow-gpu' }));
    const failed = await lab.workflows.settled(started.id);
    expect(failed).toMatchObject({ status: 'failed', currentStep: 'train' });
    expect(failed.error).toMatch(/tensorflow-gpu" is not available/);
    const runId = byStep(failed).train!.runId!;
    const retried = lab.workflows.resume(started.id, { backend: 'cpu' });
    expect(retried.config.backend).toBe('cpu');
    expect(lab.runs.get(runId).config.backend).toBe('cpu');
    // Far enough to know the retried run trained on cpu; the rest of the workflow is the tests above.
    await expect.poll(() => lab.runs.get(runId).status, { timeout: 60_000 }).toBe('completed');
    expect(lab.runs.get(runId).backend).toBe('cpu');
    lab.workflows.cancel(started.id);
    await lab.workflows.settled(started.id);
  }, 120_000);
});
