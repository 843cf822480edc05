import * as tf from '@tensorflow/tfjs-core';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../../../src/engine/backend/select-backend';
import { createModel } from '../../../src/engine/models/create-model';
import { torchvisionStateOf } from '../../../src/engine/models/torchvision-weights';
import { writeSafetensors } from '../../../src/engine/weights/safetensors';
import { spawnNodeEngine } from '../../../src/lab/engine/node-engine';
import { createLab, type Lab } from '../../../src/lab/lab';
import { startFinetune } from '../../../src/lab/runs/finetune-config';
import { RunExportRequest } from '../../../src/shared/api/exports';
import { FinetuneRequest } from '../../../src/shared/api/finetune';
import type { Model } from '../../../src/shared/api/models';
import { SweepRequest } from '../../../src/shared/api/sweeps';
import { WorkflowRequest } from '../../../src/shared/api/workflows';
import { perturbBatchNorm } from '../../helpers/perturb-bn';
import { tempDir } from '../../helpers/fixtures';
import { PATTERN_CLASSES, writePatternFolder } from '../../helpers/pattern-images';

const t = tempDir();
const home = join(t.dir, 'home');
const weightsDir = join(t.dir, 'weights');
const weightsFile = join(weightsDir, 'model.safetensors');
const previousBackend = process.env.FIXRES_BACKEND;
let lab: Lab;
let datasetId: number;
/** The model's class names: the dataset's, in another order (so keeping its head means reordering it). */
const MODEL_CLASSES = [...PATTERN_CLASSES].reverse();

/** Weights as PyTorch would name them, written by our own exporter (the PyTorch round trip is tested in test/engine). */
async function writeWeights(numClasses: number, file: string): Promise<void> {
  await ensureBackend('cpu');
  const model = createModel({ arch: 'resnet-mini', numClasses, width: 0.25, seed: 3 });
  perturbBatchNorm(model);
  writeFileSync(file, writeSafetensors(torchvisionStateOf(model, 'resnet-mini')));
  model.dispose();
}

beforeAll(async () => {
  process.env.FIXRES_BACKEND = 'cpu';
  await writePatternFolder(join(t.dir, 'patterns'), { perClass: 10, size: 12 });
  mkdirSync(weightsDir, { recursive: true });
  await writeWeights(PATTERN_CLASSES.length, weightsFile);
  writeFileSync(
    join(weightsDir, 'config.json'),
    JSON.stringify({
      architecture: 'resnet-mini',
      num_classes: PATTERN_CLASSES.length,
      pretrained_cfg: {
        input_size: [3, 12, 12],
        test_input_size: [3, 16, 16],
        crop_pct: 0.9,
        mean: [0.5, 0.5, 0.5],
        std: [0.25, 0.25, 0.25],
      },
      label_names: MODEL_CLASSES,
    }),
  );
  lab = createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
  datasetId = (await (await lab.datasets.open(join(t.dir, 'patterns'))).scanned).id;
}, 120_000);

afterAll(() => {
  lab.close();
  t.cleanup();
  if (previousBackend === undefined) delete process.env.FIXRES_BACKEND;
  else process.env.FIXRES_BACKEND = previousBackend;
});

let model: Model;
/** A model of 7 classes, not the dataset's 4. */
let seven: Model;

describe('ModelService (real engines, cpu backend)', () => {
  it('imports weights with the config next to them, storing their provenance and a lab checkpoint', async () => {
    model = await lab.models.import({ file: weightsFile, arch: 'resnet-mini' });
    expect(model).toMatchObject({
      name: 'model',
      arch: 'resnet-mini',
      width: 0.25,
      blocks: [1, 1, 1],
      numClasses: 4,
      classNames: MODEL_CLASSES,
      format: 'safetensors',
      weightsAt: '',
      sha256: createHash('sha256').update(readFileSync(weightsFile)).digest('hex'),
      bytes: readFileSync(weightsFile).length,
      preprocessing: {
        inputSize: 12,
        testInputSize: 16,
        cropPct: 0.9,
        mean: [0.5, 0.5, 0.5],
        interpolation: 'bilinear',
        source: 'config',
      },
    });
    expect(existsSync(join(home, 'models', String(model.id), 'latest.json'))).toBe(true);
    expect(lab.models.list().map((m) => m.id)).toEqual([model.id]);
  });

  it('takes flags over the config, and refuses a class list of the wrong length storing nothing', async () => {
    // A folder another database left under the next id's name is never written into.
    const foreign = join(home, 'models', String(model.id + 1));
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'foreign.txt'), 'not yours');
    const flagged = await lab.models.import({
      file: weightsFile,
      arch: 'resnet-mini',
      kTrain: 20,
      cropPct: 0.8,
      name: 'flagged',
    });
    expect(flagged.preprocessing).toMatchObject({ inputSize: 20, testInputSize: 16, cropPct: 0.8, source: 'config+flags' });
    expect(flagged.id).toBe(model.id + 1);
    expect(existsSync(join(`${foreign}-2`, 'latest.json'))).toBe(true);
    expect(readdirSync(foreign)).toEqual(['foreign.txt']);
    await lab.models.remove(flagged.id);
    expect(existsSync(`${foreign}-2`)).toBe(false);
    expect(readFileSync(join(foreign, 'foreign.txt'), 'utf8')).toBe('not yours');
    const classes = join(t.dir, 'classes.txt');
    writeFileSync(classes, 'a\nb\nc\n');
    const before = readdirSync(join(home, 'models'));
    await expect(lab.models.import({ file: weightsFile, arch: 'resnet-mini', classesFile: classes })).rejects.toThrow(
      "The file's classifier has 4 classes but the classes file lists 3",
    );
    await expect(lab.models.import({ file: weightsFile, arch: 'resnet18' })).rejects.toThrow(
      /config\.json says the model is a resnet-mini/,
    );
    expect(readdirSync(join(home, 'models'))).toEqual(before);
    expect(lab.models.list()).toHaveLength(1);
  });

  it('refuses weights that do not fit the architecture, listing what is wrong', async () => {
    const other = join(t.dir, 'other');
    mkdirSync(other);
    await ensureBackend('cpu');
    const r18 = createModel({ arch: 'resnet18', numClasses: 2, width: 0.125, weightsFollow: true });
    writeFileSync(join(other, 'r18.safetensors'), writeSafetensors(torchvisionStateOf(r18, 'resnet18')));
    r18.dispose();
    await expect(lab.models.import({ file: join(other, 'r18.safetensors'), arch: 'resnet50' })).rejects.toThrow(
      /do not fit resnet50: .* missing \(.*layer1\.0\.conv3\.weight.*The keys look like resnet18: import with --arch resnet18/,
    );
  });

  it('predicts top-k classes with names at the model’s test size, as its own forward pass computes them', async () => {
    const files = ['horizontal/0.png', 'blob/3.png'].map((f) => join(t.dir, 'patterns', f));
    const result = await lab.models.predict({ model: { modelId: model.id }, files, topK: 3 });
    expect(result).toMatchObject({ kTest: 16, cropPct: 0.9, backend: expect.stringMatching(/^(onnxruntime .* cpu|tfjs cpu)/) });
    for (const p of result.predictions) {
      expect(p.top).toHaveLength(3);
      expect(p.top[0]!.className).toBe(MODEL_CLASSES[p.top[0]!.index]);
      expect(p.top[0]!.index).toBe(p.logits.indexOf(Math.max(...p.logits)));
      const probs = tf.tidy(() => Array.from(tf.softmax(tf.tensor1d(p.logits)).dataSync()));
      expect(p.top[0]!.probability).toBeCloseTo(probs[p.top[0]!.index]!, 5);
    }
    const sent = await lab.models.predict({
      model: { modelId: model.id },
      images: [{ name: 'dropped blob.png', dataBase64: readFileSync(files[1]!).toString('base64') }],
      topK: 3,
    });
    expect(sent.predictions).toEqual([{ ...result.predictions[1]!, path: 'dropped blob.png' }]);
    const bigger = await lab.models.predict({ model: { modelId: model.id }, files, kTest: 24, topK: 1 });
    expect(bigger.kTest).toBe(24);
    expect(bigger.predictions[0]!.logits).not.toEqual(result.predictions[0]!.logits);
  });

  it('puts the model to work on a dataset with the same names: its classifier reordered, no training, then swept', async () => {
    // Nothing trains, so a batch larger than the training set is no obstacle.
    const run = lab.models.use({ modelId: model.id, datasetId, batchSize: 64 });
    expect(run).toMatchObject({ kind: 'import', config: { kTrain: 12, cropPct: 0.9, arch: 'resnet-mini', width: 0.25 } });
    // Dataset classes are sorted (blob, diagonal, horizontal, vertical); the model has blob, diagonal, vertical, horizontal.
    expect(run.config.initModel?.head).toEqual({ kind: 'reorder', order: [0, 1, 3, 2] });
    const done = await lab.runs.settled(run.id);
    expect(done).toMatchObject({ status: 'completed', epochsDone: 0, checkpoint: { epoch: 0, batch: 0 } });
    // The reordered classifier gives each class the logit the model gave that class.
    const file = join(t.dir, 'patterns', 'vertical/1.png');
    const [viaModel, viaRun] = await Promise.all([
      lab.models.predict({ model: { modelId: model.id }, files: [file], topK: 4 }),
      lab.models.predict({ model: { runId: run.id }, files: [file], topK: 4, kTest: 16 }),
    ]);
    const byName = (r: typeof viaModel) => Object.fromEntries(r.predictions[0]!.top.map((c) => [c.className, c.probability]));
    expect(byName(viaRun)).toEqual(byName(viaModel));
    const sweep = lab.sweeps.start(SweepRequest.parse({ runId: run.id, kTests: [12, 16] }));
    expect((await lab.sweeps.settled(sweep.id)).status).toBe('completed');
  });

  it('trains a new classifier (a linear probe) when the classes differ, fine-tunes it like any run, and exports no torchvision weights for a resnet-mini', async () => {
    const other = join(t.dir, 'seven');
    mkdirSync(other);
    await writeWeights(7, join(other, 'seven.safetensors'));
    seven = await lab.models.import({ file: join(other, 'seven.safetensors'), arch: 'resnet-mini', kTrain: 12 });
    const run = lab.models.use({ modelId: seven.id, datasetId, epochs: 1, batchSize: 8, lr: 0.05 });
    expect(run.config).toMatchObject({ trainable: 'classifier', initModel: { head: { kind: 'new', numClasses: 4 } } });
    const done = await lab.runs.settled(run.id);
    expect(done).toMatchObject({ status: 'completed', epochsDone: 1 });
    const child = startFinetune(
      lab.runs,
      FinetuneRequest.parse({ parentRunId: run.id, kTest: 16, epochs: 1, mode: 'bn+classifier' }),
    );
    expect(child).toMatchObject({ kind: 'finetune', parentId: run.id });
    expect(await lab.runs.settled(child.id)).toMatchObject({ status: 'completed', epochsDone: 1 });

    // resnet-mini has no torchvision counterpart: no safetensors by default, and a clear refusal when asked for.
    const out = join(t.dir, 'run-export');
    const exported = await lab.exports.exportRun(RunExportRequest.parse({ id: child.id, dir: out }));
    expect(exported.files.map((f) => f.format)).not.toContain('safetensors');
    expect(exported.files.map((f) => f.format)).toContain('onnx');
    await expect(
      lab.exports.exportRun(RunExportRequest.parse({ id: child.id, dir: join(t.dir, 'x'), formats: ['safetensors'] })),
    ).rejects.toThrow(/is a resnet-mini at width 0\.25, which torchvision has no model for.*export it as model or onnx/);
  });

  it('exports a model as torchvision-named safetensors with a timm config that imports back to the same predictions', async () => {
    const out = join(t.dir, 'export');
    const exported = await lab.models.export({
      model: { modelId: model.id },
      format: 'safetensors',
      dir: out,
      kTest: 20,
      force: false,
    });
    expect(exported.files).toEqual(['model.safetensors', 'config.json']);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ architecture: 'resnet-mini', num_classes: 4, label_names: MODEL_CLASSES });
    expect(config.pretrained_cfg).toMatchObject({ input_size: [3, 12, 12], test_input_size: [3, 20, 20], crop_pct: 0.9 });
    await expect(
      lab.models.export({ model: { modelId: model.id }, format: 'safetensors', dir: out, force: false }),
    ).rejects.toThrow(/already holds model\.safetensors, config\.json/);
    const back = await lab.models.import({ file: join(out, 'model.safetensors'), arch: 'resnet-mini' });
    expect(back.preprocessing).toMatchObject({ inputSize: 12, testInputSize: 20, cropPct: 0.9, source: 'config' });
    const file = join(t.dir, 'patterns', 'diagonal/2.png');
    const [a, b] = await Promise.all(
      [model, back].map((m) => lab.models.predict({ model: { modelId: m.id }, files: [file], kTest: 16, topK: 1 })),
    );
    expect(b!.predictions[0]!.logits).toEqual(a!.predictions[0]!.logits);
  });

  it('runs the FixRes workflow from an imported model: its preprocessing plans it, the FixRes steps follow', async () => {
    const started = await lab.workflows.start(
      WorkflowRequest.parse({
        datasetId,
        modelId: model.id,
        kTests: [12, 16],
        adapt: false,
        finetune: { epochs: 1 },
        batchSize: 8,
      }),
    );
    const done = await lab.workflows.settled(started.id);
    expect(done.status).toBe('completed');
    const steps = Object.fromEntries(done.steps.map((s) => [s.step, s]));
    expect(steps.plan!.output).toMatchObject({ kTrain: 12, source: 'model' });
    const imported = lab.runs.get(steps.train!.runId!);
    expect(imported).toMatchObject({
      kind: 'import',
      epochsDone: 0,
      config: { kTrain: 12, cropPct: 0.9, initModel: { modelId: model.id } },
    });
    expect(steps.analyze!.output).toMatchObject({ kTrain: 12 });
    expect(lab.runs.get(steps.finetune!.runId!)).toMatchObject({ kind: 'finetune', parentId: imported.id });
    expect(done.summary).toMatchObject({ kTrain: 12, trainRunId: imported.id, atKTrain: { kTest: 12 } });
  });

  it('runs the FixRes workflow from a model whose classes differ: a linear probe at K_train, then the FixRes steps', async () => {
    const started = await lab.workflows.start(
      WorkflowRequest.parse({
        datasetId,
        modelId: seven.id,
        kTests: [12, 16],
        adapt: false,
        epochs: 1,
        finetune: { epochs: 1 },
        batchSize: 8,
      }),
    );
    const done = await lab.workflows.settled(started.id);
    expect(done.status).toBe('completed');
    const steps = Object.fromEntries(done.steps.map((s) => [s.step, s]));
    const probe = lab.runs.get(steps.train!.runId!);
    expect(probe).toMatchObject({
      kind: 'import',
      epochsDone: 1,
      config: { kTrain: 12, trainable: 'classifier', initModel: { modelId: seven.id, head: { kind: 'new', numClasses: 4 } } },
    });
    expect(steps.sweep!.output).toMatchObject({ runId: probe.id });
    expect(lab.runs.get(steps.finetune!.runId!)).toMatchObject({ kind: 'finetune', parentId: probe.id, status: 'completed' });
  });

  it('removes a model and its checkpoint while the runs made from it keep theirs', async () => {
    const run = lab.runs.list().find((r) => r.kind === 'import' && r.config.initModel?.modelId === model.id)!;
    expect(await lab.models.remove(model.id)).toEqual({ removed: true });
    expect(existsSync(join(home, 'models', String(model.id)))).toBe(false);
    expect(() => lab.models.get(model.id)).toThrow(
      expect.objectContaining({ name: 'RowDeleted', code: 'NotFound', message: `Model #${model.id} was deleted` }),
    );
    const file = join(t.dir, 'patterns', 'blob/1.png');
    expect((await lab.models.predict({ model: { runId: run.id }, files: [file], topK: 1 })).predictions).toHaveLength(1);
  });
});
