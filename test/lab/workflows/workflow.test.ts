import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundToMultiple } from '../../../src/core/apparent-size';
import { finetuneCandidates } from '../../../src/core/finetune-candidates';
import { secondsPerImage } from '../../../src/core/k-train-choice';
import { dispatch } from '../../../src/lab/dispatch';
import { createHandlers } from '../../../src/lab/handlers/index';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import type { JobInfo, RunProgress } from '../../../src/shared/api/runs';
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
    kTests: [6, 8, 10, 12],
    finetune: { epochs: 1, candidates: 2 },
    ...extra,
  });

const byStep = (w: Workflow) => Object.fromEntries(w.steps.map((s) => [s.step, s]));

describe('WorkflowService (real compute engine, cpu backend)', () => {
  it('runs train small, test large end to end on a synthetic set, choosing K_train from the budget by probing', async () => {
    const progress: string[] = [];
    const off = lab.events.subscribe((event, payload) => {
      if (event === 'workflow.progress') progress.push((payload as { step: string }).step);
    });
    const started = await lab.workflows.start(tiny({ budgetMinutes: 0.01 }));
    expect(started.steps.map((s) => s.step)).toEqual([
      'plan',
      'train',
      'analyze',
      'sweep',
      'adapt',
      'finetune',
      'sweep-finetuned',
      'train-large',
      'sweep-large',
      'finetune-large',
      'summary',
    ]);
    const done = await lab.workflows.settled(started.id);
    off();
    expect(done.status).toBe('completed');
    expect(done.steps.every((s) => s.status === 'completed')).toBe(true);
    const steps = byStep(done);
    const plan = steps.plan!.output as { kTrain: number; source: string; suggestion: KTrainSuggestion };
    // 24-px images: K_train ≤ 0.875·24/1.4 = 15, so 8 or 12, and resnet-mini's smallest useful K (16, a 4×4
    // last feature map) is above both: the largest, 12, is the only candidate (a 0.6 s budget does not fit it).
    // Epochs were given (2): the plan keeps them and warms up over a tenth of them (0).
    expect(plan).toMatchObject({
      kTrain: 12,
      epochs: 2,
      warmupEpochs: 0,
      source: 'suggested',
      suggestion: { maxK: 15, fits: false, epochs: 2, cost: { source: 'probe' } },
    });
    // Each size is probed twice and its faster probe counts (a fresh engine's first probe runs slow).
    expect(plan.suggestion.cost.samples.map((s) => s.k)).toEqual([12, 12]);
    expect(plan.suggestion.estimates.map((e) => e.k)).toEqual([12]);

    const trainRun = lab.runs.get(steps.train!.runId!);
    expect(trainRun).toMatchObject({ status: 'completed', config: { kTrain: 12, width: 0.25 } });
    expect(steps.train!.imgPerSec).toBe(trainRun.imgPerSec);
    expect(steps.analyze!.output).toMatchObject({ kTrain: 12, kTestStar: expect.any(Number), multiple: 2 });
    const analysed = steps.analyze!.output as { kTestStar: number; kTestStarExact: number };
    expect(analysed.kTestStar).toBe(roundToMultiple(analysed.kTestStarExact, 2));
    expect(lab.sweeps.get(steps.sweep!.sweepId!)).toMatchObject({ adapter: 'none', status: 'completed', done: 4 });
    expect(lab.sweeps.get(steps.adapt!.sweepId!)).toMatchObject({
      adapter: 'frechet',
      status: 'completed',
      reference: { source: 'train-augment' },
    });
    // The untuned best is picked on the selection half; the fine-tunes start there and go up to 1.4× it.
    const points = lab.sweeps.points(trainRun.id).filter((p) => p.adapter === 'none');
    const best = (steps.sweep!.output as { best: { kTest: number; top1: number } }).best;
    const bestSelection = Math.max(...points.map((p) => p.selection!.top1));
    expect(best.top1).toBe(bestSelection);
    expect(points.find((p) => p.kTest === best.kTest)!.selection!.top1).toBe(bestSelection);
    const search = steps.finetune!.output as { runId: number; candidates: { kTest: number; runId: number }[] };
    expect(search.candidates.map((c) => c.kTest)).toEqual(finetuneCandidates([6, 8, 10, 12], best.kTest, { count: 2 }));
    for (const c of search.candidates) {
      expect(lab.runs.get(c.runId)).toMatchObject({
        kind: 'finetune',
        parentId: trainRun.id,
        status: 'completed',
        config: { kTrain: c.kTest, trainable: 'last-bn+classifier', decayAllParams: true },
      });
      expect(lab.sweeps.points(c.runId).map((p) => p.kTest)).toContain(c.kTest);
    }
    const child = lab.runs.get(search.runId);
    expect(steps['sweep-finetuned']!.runId).toBe(child.id);
    expect(steps['train-large']!.output).toEqual({ skipped: true });

    const summary = done.summary!;
    expect(summary).toMatchObject({
      kTrain: 12,
      trainRunId: trainRun.id,
      finetuneRunId: child.id,
      // 12 validation images, 3 per class: picked on 1 per class (the selection half), reported on the other 8.
      images: { pickedOn: 'selection', reportedOn: 'held-out', picked: 4, reported: 8 },
      atKTrain: { kTest: 12, reported: { n: 8 } },
      payoff: null,
    });
    expect(summary.finetuneCandidates!.map((c) => c.kTest)).toEqual(search.candidates.map((c) => c.kTest));
    // The kept fine-tune is the candidate best on the selection half (ties: the smaller K_test), not the last one tried.
    const tuned = summary.finetuneCandidates!;
    const topSelection = Math.max(...tuned.map((c) => c.selection!.top1));
    const keep = tuned.filter((c) => c.selection!.top1 === topSelection).sort((a, b) => a.kTest - b.kTest)[0]!;
    expect(search.runId).toBe(keep.runId);
    expect(summary.finetuned).toMatchObject({ runId: keep.runId, kTest: keep.kTest });
    expect(summary.gain).toBeCloseTo(summary.best!.top1 - summary.atKTrain!.top1, 12);
    expect(summary.gains!.total).toMatchObject({ images: 'held-out', n: 8 });
    expect(summary.gains!.total!.gain).toBeCloseTo(summary.gain!, 12);
    expect(summary.warnings!.join(' ')).toMatch(/cannot show a 1-point gain/);
    expect(summary.phases.map((p) => p.step)).toEqual(done.steps.map((s) => s.step).slice(0, -1));
    expect(summary.phases.find((p) => p.step === 'train')!.peakRssMb).toBeGreaterThan(50);
    expect(new Set(progress)).toEqual(new Set(['train', 'sweep', 'adapt', 'finetune', 'sweep-finetuned']));

    const suggested = await dispatch(createHandlers(lab), 'workflows.suggest', { datasetId, width: 0.25, budgetMinutes: 60 });
    const fromHistory = (suggested as { value: KTrainSuggestion }).value;
    expect(fromHistory.cost).toMatchObject({ source: 'history', samples: [{ k: 12, runId: trainRun.id }] });
    // What runs cannot tell, a round of probes timed: a sweep's pass and a head-only fine-tune's step.
    const { sweep, finetune } = fromHistory.cost.passes!;
    for (const pass of [sweep, finetune]) expect(secondsPerImage(pass, 12)).toBeGreaterThan(0);
    expect(sweep.pointSeconds).toBeGreaterThan(0);
    // 36 training images of batch 32: 1 step per epoch, so the ~2 500-step rule's cap of 60 epochs.
    expect(fromHistory).toMatchObject({ kTrain: 12, fits: true, epochs: 60 });
  }, 300_000);

  it('refuses to start a workflow whose budget is too small to learn anything, saying the budget that would fit, and stores none', async () => {
    const count = lab.workflows.list().length;
    const request = WorkflowRequest.parse({ datasetId, width: 0.25, batchSize: 8, budgetMinutes: 0.01 });
    const refused = await lab.workflows.start(request).then(
      () => null,
      (err: Error & { code?: string; field?: string }) => err,
    );
    expect(refused).toMatchObject({ code: 'Invalid', field: 'budgetMinutes' });
    // 24-px images: K_train 12 is the only candidate (see above); 36 training images of batch 8 at MIN_TRAIN_EPOCHS.
    expect(refused!.message).toMatch(
      /needs at least \d+ minutes at K_train 12 \(10 epochs\)\. Raise the budget, or give the epochs or K_train yourself/,
    );
    expect(lab.workflows.list()).toHaveLength(count);
  }, 120_000);

  it('starts with the plan Plan just made for the same workflow, probing once, and plans anew the next time', async () => {
    const request = WorkflowRequest.parse({ datasetId, width: 0.25, batchSize: 8, budgetMinutes: 0.01 });
    const probes = new Set<string>();
    const off = lab.events.subscribe((event, payload) => {
      if (event !== 'jobs.changed') return;
      for (const job of payload as JobInfo[]) if (job.kind === 'speed-probe') probes.add(job.id);
    });
    const refusal = (r: typeof request) =>
      lab.workflows.start(r).then(
        () => null,
        (err: Error) => err.message,
      );
    try {
      const plan = await lab.workflows.suggest(request);
      const planned = probes.size;
      expect(planned).toBeGreaterThan(0);
      // The same workflow (another name does not change its plan) is refused from that plan: no probe ran.
      const named = await refusal({ ...request, name: 'renamed' });
      expect(named).toContain(`at K_train ${plan.kTrain}`);
      expect(probes.size).toBe(planned);
      // Each plan is taken once: the next start plans again.
      expect(await refusal(request)).toMatch(/too small to learn anything/);
      expect(probes.size).toBeGreaterThan(planned);
    } finally {
      off();
    }
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
    expect(csv[0]).toBe(
      'run_id,run_kind,k_train,k_test,adapter,top1,top5,loss,n,seconds,img_per_sec,sweep_id,' +
        'top1_ci95_lo,top1_ci95_hi,top1_selection,n_selection,top1_held_out,n_held_out',
    );
    expect(csv).toHaveLength(1 + results.points.length);
    expect(results.workflow.summary).toEqual(workflow.summary);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    // Charts are standalone SVGs (xmlns); the mistakes' thumbnails are inline <svg class="thumb"> without it.
    expect(html.match(/<svg xmlns/g)).toHaveLength(3);
    expect(html.match(/<svg class="thumb"/g)?.length).toBeGreaterThan(0);
    expect(html).toContain('<table>');
    expect(html).toContain('gain over testing at K_train');
    expect(html).toMatch(/numbers reported on 8 others \(the held-out half/);
    expect(html).toMatch(/\d+\.\d % \[\d+\.\d, \d+\.\d\] at K_test/);
    expect(html).toMatch(/points \[[+−]?\d+\.\d, [+−]?\d+\.\d\] \(p [=<] [\d.]+(, within noise)?\)/);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);

    const finalRun = lab.runs.get(workflow.summary!.finetuneRunId!);
    const config = JSON.parse(readFileSync(join(out, 'model', 'preprocessing.json'), 'utf8'));
    expect(config).toMatchObject({
      architecture: 'resnet-mini',
      num_classes: 4,
      input_size: [3, finalRun.config.kTrain, finalRun.config.kTrain],
      crop_pct: 0.875,
      mean: finalRun.config.normalizeValues.mean,
      fine_tuned: { parent_run: workflow.summary!.trainRunId, trainable: 'last-bn+classifier' },
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
    const started = await lab.workflows.start(tiny({ kTrain: 8, epochs: 3, name: 'resumed' }));
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
  }, 300_000);

  it('runs the payoff experiment: trains large, tests it at every K_test, fine-tunes the small run at the large size', async () => {
    const done = await lab.workflows.settled(
      (await lab.workflows.start(tiny({ kTrain: 8, kLarge: 12, payoff: true, adapt: false }))).id,
    );
    expect(done.status).toBe('completed');
    const steps = byStep(done);
    const large = lab.runs.get(steps['train-large']!.runId!);
    expect(large).toMatchObject({ kind: 'train', status: 'completed', config: { kTrain: 12, epochs: 2, width: 0.25 } });
    expect(lab.sweeps.points(large.id).map((p) => p.kTest)).toEqual([6, 8, 10, 12]);
    const tuned = steps['finetune-large']!.output as { kLarge: number; runId: number };
    expect(lab.runs.get(tuned.runId)).toMatchObject({ kind: 'finetune', parentId: steps.train!.runId, config: { kTrain: 12 } });
    const payoff = done.summary!.payoff!;
    expect(payoff).toMatchObject({ kSmall: 8, kLarge: 12 });
    expect(payoff.rows.map((r) => [r.kTrain, r.label])).toEqual([
      [8, 'trained at 8, tested at 8'],
      [8, 'trained at 8, tested at its best K_test'],
      [8, 'trained at 8, fine-tuned and tested at 12'],
      [12, 'trained at 12, tested at 12'],
      [12, 'trained at 12, tested at its best K_test'],
    ]);
    expect(payoff.rows.every((r) => r.reported.n === 8 && r.trainSeconds > 0)).toBe(true);
    // The fine-tuned row costs the small run and its fine-tune.
    expect(payoff.rows[2]!.trainSeconds).toBeCloseTo(
      lab.runs.get(steps.train!.runId!).wallSeconds + lab.runs.get(tuned.runId).wallSeconds,
      6,
    );
    expect(payoff.smallFinetunedVsLarge).toMatchObject({ images: 'held-out', n: 8 });

    // The report draws the payoff chart: one point per row with its interval, dots sized by memory (said in the caption)…
    const out = join(t.dir, 'payoff-export');
    await lab.exports.exportWorkflow(WorkflowExportRequest.parse({ id: done.id, dir: out, formats: ['html'] }));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const chart = html.match(/<svg[^>]*aria-label="Top-1 \(95 % interval\) against training time"[\s\S]*?<\/svg>/)?.[0] ?? '';
    expect(chart.match(/<circle /g)).toHaveLength(payoff.rows.length);
    for (const r of payoff.rows) expect(chart).toContain(`${r.label} · `);
    expect(html).toMatch(
      /<\/svg><figcaption>One point per model: bars are 95 % \(Wilson\) intervals; a dot’s area is proportional to its peak memory/,
    );
    // …and a thumbnail beside every mistake it lists, each image's WebP data written once.
    const listed = [...html.matchAll(/Most confident mistakes \((\d+) of \d+\)/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(listed).toBeGreaterThan(0);
    expect(
      html.match(/<svg class="thumb" viewBox="0 0 64 64" role="img" aria-label="[^"]+"><use href="#thumb-\d+"\/><\/svg>/g),
    ).toHaveLength(listed);
    const images = [...html.matchAll(/<image id="(thumb-\d+)" href="data:image\/webp;base64,[A-Za-z0-9+/]+=*"/g)].map(
      (m) => m[1],
    );
    expect(new Set(images).size).toBe(images.length);
    expect(new Set([...html.matchAll(/<use href="#(thumb-\d+)"/g)].map((m) => m[1]))).toEqual(new Set(images));
  }, 300_000);

  it('cancels at any step and refuses to resume a completed workflow', async () => {
    const started = await lab.workflows.start(tiny({ kTrain: 8, epochs: 50 }));
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
    const started = await lab.workflows.start(tiny({ kTrain: 8, epochs: 1, backend: 'tensorflow-gpu' }));
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
