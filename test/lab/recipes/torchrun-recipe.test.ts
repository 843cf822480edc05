import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnNodeEngine } from '../../../src/lab/engine/node-engine';
import { createLab, type Lab } from '../../../src/lab/lab';
import type { Model } from '../../../src/shared/api/models';
import { RunConfig, type RunConfigInput } from '../../../src/shared/api/runs';
import { insertRun } from '../../../src/store/runs';
import { tempDir } from '../../helpers/fixtures';
import { PATTERN_CLASSES, writePatternFolder } from '../../helpers/pattern-images';
import { logitGap, top1 } from '../../helpers/photo-images';
import { hasReferencePython, REFERENCE_MISSING, runReference } from '../../helpers/python-reference';

/**
 * Issue 18 end to end: a run exported as a torchrun recipe trains under Debian's PyTorch with
 * `python3 -m torch.distributed.run --nproc_per_node 2` (gloo, CPU), one worker is SIGKILLed after
 * the first epoch's checkpoint and torchrun's elastic restart resumes from it; the lab imports
 * OUT/model.safetensors by its config.json alone, linked to the run, and predicts what PyTorch's
 * own evaluation of that checkpoint gives. Then a head-only fine-tune recipe changes fc and the
 * last BN's running statistics only.
 */
const PYTHON = process.env.FIXRES_REFERENCE_PYTHON ?? '/usr/bin/python3';
const haveReference = hasReferencePython();
if (!haveReference) console.warn(`torchrun recipes: ${REFERENCE_MISSING}`);
const t = tempDir('fixres-recipe-');
const data = join(t.dir, 'data');
const previousBackend = process.env.FIXRES_BACKEND;
let lab: Lab;
let datasetId: number;

const RUN: Partial<RunConfigInput> = {
  arch: 'resnet-mini',
  width: 0.5,
  kTrain: 16,
  kTest: 20,
  scale: [0.35, 1],
  epochs: 2,
  batchSize: 8,
  lr: 0.05,
  nesterov: true,
  labelSmoothing: 0.1,
  warmupEpochs: 0.5,
  seed: 3,
};

/** Stores a run as starting it would (defaults resolved, config frozen) without training it in the lab. */
function storedRun(input: Partial<RunConfigInput>): number {
  const plan = lab.runs.plan(RunConfig.parse({ datasetId, ...input }));
  return insertRun(lab.db, { ...plan, checkpointDir: (id) => join(t.dir, 'runs', String(id)) }).id;
}

/** Runs python with `args`; resolves with the exit code and both streams. */
function python(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { cwd, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function untilSettled(id: number): Promise<void> {
  for (;;) {
    const { status, error } = lab.runs.get(id);
    if (status === 'completed') return;
    if (status === 'failed' || status === 'cancelled') throw new Error(`run ${id} ${status}: ${error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const valImages = () =>
  PATTERN_CLASSES.flatMap((c) => readdirSync(join(data, 'val', c)).map((f) => join(data, 'val', c, f))).sort();

beforeAll(async () => {
  if (!haveReference) return;
  process.env.FIXRES_BACKEND = 'cpu';
  await writePatternFolder(join(data, 'train'), { perClass: 4, size: 24, seed: 1 });
  await writePatternFolder(join(data, 'val'), { perClass: 2, size: 24, seed: 2 });
  lab = createLab({ dataDir: join(t.dir, 'home'), spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
  datasetId = (await (await lab.datasets.open(data)).scanned).id;
}, 120_000);

afterAll(() => {
  lab?.close();
  t.cleanup();
  if (previousBackend === undefined) delete process.env.FIXRES_BACKEND;
  else process.env.FIXRES_BACKEND = previousBackend;
});

let runId: number;
let model: Model;
const out = join(t.dir, 'out');

describe.skipIf(!haveReference)('torchrun recipes (Debian python3-torch, gloo on CPU)', () => {
  it('trains under torch.distributed.run with 2 processes, resumes after a killed worker, and writes model.safetensors + config.json', async () => {
    runId = storedRun(RUN);
    const recipeDir = join(t.dir, 'recipe');
    const exported = await lab.recipes.export({ id: runId, format: 'torchrun', dir: recipeDir });
    expect(exported.files).toEqual(['train.py', 'recipe.json']);
    const recipe = JSON.parse(readFileSync(join(recipeDir, 'recipe.json'), 'utf8'));
    expect(recipe).toMatchObject({ run_id: runId, arch: 'resnet-mini', width: 0.5, classes: [...PATTERN_CLASSES].sort(), batch_size: 8 });

    // Debian's torch 1.13 on Python 3.11 cannot parse its own default "-r 0 -t 0" (an enum change): name streams explicitly.
    const launcher = ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', '--max_restarts', '1'];
    const streams = ['-r', '1', '-t', '1', '--log_dir', join(t.dir, 'torchrun-logs')];
    const script = [join(recipeDir, 'train.py'), '--data', data, '--out', out, '--workers', '0', '--kill-after-epoch', '1'];
    const { code, out: output } = await python([...launcher, ...streams, ...script], t.dir);
    expect(code, output).toBe(0);
    expect(output).toContain('{"resumed_after_epoch": 0}');
    const log = readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.map((row) => [row.epoch, row.world_size])).toEqual([[1, 2], [2, 2]]);
    expect(readdirSync(out).sort()).toEqual(['checkpoint.pt', 'config.json', 'log.jsonl', 'model.safetensors']);
  }, 300_000);

  it("exports the run form's settings (Run elsewhere…) without storing or starting a run", async () => {
    const before = lab.runs.list().length;
    const dir = join(t.dir, 'form-recipe');
    await lab.recipes.export({ config: { datasetId, ...RUN, kTrain: 24 }, dir });
    expect(JSON.parse(readFileSync(join(dir, 'recipe.json'), 'utf8'))).toMatchObject({ run_id: null, kind: 'train', k_train: 24 });
    expect(lab.runs.list()).toHaveLength(before);
    await expect(lab.recipes.export({ config: { datasetId, ...RUN, augment: 'da2' }, dir: join(t.dir, 'da2') })).rejects.toThrow(/DA2/);
  });

  it('imports the result by its config.json, linked to the run, and predicts what PyTorch predicts', async () => {
    model = await lab.models.import({ file: join(out, 'model.safetensors') });
    expect(model).toMatchObject({
      arch: 'resnet-mini',
      width: 0.5,
      blocks: [1, 1, 1],
      classNames: [...PATTERN_CLASSES].sort(),
      recipeRunId: runId,
      externalTraining: { runId, kind: 'train', epochs: 2, worldSize: 2 },
      preprocessing: { inputSize: 16, testInputSize: 20, cropPct: 0.875, interpolation: 'bilinear', source: 'config' },
    });
    const images = valImages();
    const ours = (await lab.models.predict({ model: { modelId: model.id }, files: images, topK: 1 })).predictions.map((p) => p.logits);
    const theirs = runReference<{ logits: number[][] }>('recipe_reference.py', {
      task: 'evaluate',
      recipe_dir: join(t.dir, 'recipe'),
      weights: join(out, 'model.safetensors'),
      images,
      k: 20,
      cropPct: 0.875,
      interpolation: 'bilinear',
      mean: model.preprocessing.mean,
      std: model.preprocessing.std,
    }).logits;
    expect(top1(ours)).toEqual(top1(theirs));
    const { worst, scale } = logitGap(ours, theirs);
    expect(worst, `max |Δlogit| (max |logit| ${scale})`).toBeLessThanOrEqual(1e-3 * scale);
  }, 120_000);

  it('exports a head-only fine-tune at K_test whose training changes fc and the last BN statistics only (the official recipe)', async () => {
    // The imported model put to work on the dataset is a base for fine-tunes like a lab-trained run.
    const base = lab.models.use({ modelId: model.id, datasetId });
    await untilSettled(base.id);
    const fineTune = storedRun({
      ...RUN,
      parentRunId: base.id,
      trainable: 'last-bn+classifier',
      kTrain: 24,
      kTest: 24,
      augment: 'da1',
      epochs: 1,
      lr: 0.01,
      schedule: 'constant',
      warmupEpochs: 0,
    });
    const recipeDir = join(t.dir, 'finetune-recipe');
    const exported = await lab.recipes.export({ id: fineTune, dir: recipeDir });
    expect(exported.files).toEqual(['train.py', 'recipe.json', 'init.safetensors']);
    const ftOut = join(t.dir, 'finetune-out');
    const { code, out: output } = await python([join(recipeDir, 'train.py'), '--data', data, '--out', ftOut, '--workers', '0'], t.dir);
    expect(code, output).toBe(0);
    const { changed } = runReference<{ changed: Record<string, number> }>('recipe_reference.py', {
      task: 'diff',
      before: join(recipeDir, 'init.safetensors'),
      after: join(ftOut, 'model.safetensors'),
    });
    const moved = Object.keys(changed).filter((key) => changed[key]! > 0).sort();
    expect(moved).toEqual(['fc.bias', 'fc.weight', 'layer3.0.bn2.running_mean', 'layer3.0.bn2.running_var']);
    expect(Object.keys(changed)).toContain('layer3.0.bn2.weight'); // compared, and unchanged: γ/β stay frozen

    // Its OUT must not be another recipe's: that checkpoint is refused, not resumed.
    const mixed = await python([join(recipeDir, 'train.py'), '--data', data, '--out', out, '--workers', '0'], t.dir);
    expect(mixed.code).not.toBe(0);
    expect(mixed.out).toContain(`is the checkpoint of another recipe (run ${runId}): choose another --out`);

    const back = await lab.models.import({ file: join(ftOut, 'model.safetensors'), name: 'fine-tuned elsewhere' });
    expect(back).toMatchObject({ recipeRunId: fineTune, externalTraining: { kind: 'finetune', worldSize: 1 } });
    expect(back.preprocessing).toMatchObject({ inputSize: 24, testInputSize: 24 });
  }, 180_000);
});
