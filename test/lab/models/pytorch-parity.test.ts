import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnNodeEngine } from '../../../src/lab/engine/node-engine';
import { createLab, type Lab } from '../../../src/lab/lab';
import { startFinetune } from '../../../src/lab/runs/finetune-config';
import { PreprocessingConfig, RunExportRequest } from '../../../src/shared/api/exports';
import { FinetuneRequest } from '../../../src/shared/api/finetune';
import type { Model } from '../../../src/shared/api/models';
import { IMAGENET_NORMALIZE } from '../../../src/shared/jobs/data-spec';
import { tempDir } from '../../helpers/fixtures';
import { PATTERN_CLASSES, writePatternFolder } from '../../helpers/pattern-images';
import { logitGap, top1, writePhotoImages } from '../../helpers/photo-images';
import { hasReferencePython, REFERENCE_MISSING, runReference } from '../../helpers/python-reference';

/**
 * Issue 12's acceptance test, through the services `fixres model import` and `fixres predict`
 * call: PyTorch-made ResNet-18 and ResNet-50 (seeded, BN statistics from calibration batches)
 * saved as safetensors, a torchvision .pth and a FixRes-style {"model": {"module.…"}} checkpoint
 * import to the same weights, predict PyTorch's top-1 with max |Δlogit| ≤ 1e-3·max|logit| at
 * K_test 224 and 288, and the exported safetensors loads in PyTorch with strict=True and gives
 * the lab's logits back.
 */
const CROP_PCT = 0.875;
const SIZES = [224, 288];
const FORMATS = ['safetensors', 'pth', 'fixres'] as const;
const CASES = [
  { arch: 'resnet18', classes: 10 },
  { arch: 'resnet50', classes: 7 },
] as const;

interface Reference {
  files: Record<(typeof FORMATS)[number], string>;
  logits: Record<string, number[][]>;
  /** ResNet-18 only: the weights as float16 .pth and bfloat16 safetensors, with PyTorch's logits at 224 for them. */
  lowPrecision?: Record<'fp16' | 'bf16', { file: string; logits: number[][] }>;
}

const haveReference = hasReferencePython();
if (!haveReference) console.warn(`PyTorch parity of imported models: ${REFERENCE_MISSING}`);
const t = tempDir('fixres-model-parity-');
const previousBackend = process.env.FIXRES_BACKEND;
let lab: Lab;
let images: string[] = [];
const references = new Map<string, Reference>();
const imported = new Map<string, Model[]>();

beforeAll(async () => {
  if (!haveReference) return;
  // The engines take their backend from the environment: wasm, far faster than pure JS for ResNet-50.
  process.env.FIXRES_BACKEND = 'wasm';
  lab = createLab({ dataDir: join(t.dir, 'home'), spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
  images = await writePhotoImages(t.dir);
  for (const c of CASES) {
    const input = {
      dir: t.dir,
      arch: c.arch,
      seed: 11,
      numClasses: c.classes,
      images,
      sizes: SIZES,
      cropPct: CROP_PCT,
      formats: FORMATS,
      lowPrecision: c.arch === 'resnet18',
    };
    references.set(c.arch, runReference<Reference>('torchvision_resnet.py', input));
  }
}, 300_000);

afterAll(() => {
  lab?.close();
  t.cleanup();
  if (previousBackend === undefined) delete process.env.FIXRES_BACKEND;
  else process.env.FIXRES_BACKEND = previousBackend;
});

/** PyTorch's logits for `images` with the weights of a safetensors file (load_state_dict strict), and the inputs it ran on. */
function pytorchLogits(
  file: string,
  numClasses: number,
  inputsDir: string,
): { logits: Record<string, number[][]>; keys: number } {
  mkdirSync(inputsDir, { recursive: true });
  return runReference('torchvision_load.py', {
    arch: 'resnet18',
    numClasses,
    file,
    images,
    sizes: SIZES,
    cropPct: CROP_PCT,
    ...IMAGENET_NORMALIZE,
    inputsDir,
  });
}

/** An ONNX file's logits on ONNX Runtime for the exact batch PyTorch ran at K_test `k`. */
async function onnxLogits(onnxFile: string, inputsDir: string, k: number): Promise<number[][]> {
  const raw = readFileSync(join(inputsDir, `input-${k}.f32`));
  const input = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const session = await ort.InferenceSession.create(onnxFile, { intraOpNumThreads: 1, executionProviders: ['cpu'] });
  try {
    const { logits } = await session.run({ image: new ort.Tensor('float32', input, [images.length, k, k, 3]) });
    const [n, classes] = logits!.dims as [number, number];
    const flat = Array.from(logits!.data as Float32Array);
    return Array.from({ length: n }, (_, i) => flat.slice(i * classes, (i + 1) * classes));
  } finally {
    await session.release();
  }
}

/** ONNX keeps PyTorch's symmetric padding as explicit pads: tfjs's asymmetric 'same' would be written as SAME_UPPER. */
function expectNoSameUpper(onnxFile: string): void {
  expect(readFileSync(onnxFile).includes('SAME_UPPER')).toBe(false);
}

/** The weights file of an imported model's lab checkpoint. */
function checkpointWeights(model: Model): Buffer {
  const dir = join(t.dir, 'home', 'models', String(model.id));
  const { name } = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as { name: string };
  return readFileSync(join(dir, name, 'weights.bin'));
}

describe.skipIf(!haveReference)('imported PyTorch models predict what PyTorch predicts', () => {
  describe.each(CASES)('$arch', ({ arch, classes }) => {
    it('imports safetensors, .pth and FixRes-style files to the same weights', async () => {
      const ref = references.get(arch)!;
      const models: Model[] = [];
      for (const format of FORMATS)
        models.push(await lab.models.import({ file: ref.files[format], arch, name: `${arch} ${format}` }));
      imported.set(arch, models);
      expect(models.map((m) => [m.format, m.weightsAt, m.strippedPrefix, m.numClasses])).toEqual([
        ['safetensors', '', '', classes],
        ['torch-zip', '', '', classes],
        ['torch-zip', 'model', 'module.', classes],
      ]);
      const [first, ...others] = models.map(checkpointWeights);
      for (const other of others) expect(other.equals(first!)).toBe(true);
    });

    it(`predicts PyTorch's top-1 with max |Δlogit| ≤ 1e-3·max|logit| at K_test ${SIZES.join(' and ')}`, async () => {
      const model = imported.get(arch)!.at(-1)!;
      for (const kTest of SIZES) {
        const result = await lab.models.predict({ model: { modelId: model.id }, files: images, kTest, topK: 5 });
        expect(result.cropPct).toBe(CROP_PCT);
        // Predictions are forward passes: on a CPU rung the forward choice runs them on ONNX Runtime (issue 14).
        expect(result.backend, 'the forward engine of predict').toMatch(/^onnxruntime \S+ cpu/);
        const ours = result.predictions.map((p) => p.logits);
        const theirs = references.get(arch)!.logits[String(kTest)]!;
        expect(top1(ours), `top-1 at K_test ${kTest}`).toEqual(top1(theirs));
        expect(result.predictions.map((p) => p.top[0]!.index)).toEqual(top1(theirs));
        const { worst, scale } = logitGap(ours, theirs);
        expect(worst, `max |Δlogit| at K_test ${kTest} (max |logit| ${scale})`).toBeLessThanOrEqual(1e-3 * scale);
      }
    });
  });

  it("exports safetensors that PyTorch loads with strict=True and that give the lab's logits", async () => {
    const model = imported.get('resnet18')![0]!;
    const out = join(t.dir, 'exported');
    await lab.models.export({ model: { modelId: model.id }, format: 'safetensors', dir: out, force: false });
    const ours = (await lab.models.predict({ model: { modelId: model.id }, files: images, kTest: 224, topK: 1 })).predictions.map(
      (p) => p.logits,
    );
    const back = runReference<{ logits: Record<string, number[][]>; keys: number }>('torchvision_load.py', {
      arch: 'resnet18',
      numClasses: 10,
      file: join(out, 'model.safetensors'),
      images,
      sizes: [224],
      cropPct: CROP_PCT,
      ...IMAGENET_NORMALIZE,
    });
    expect(back.keys).toBe(102); // every parameter and running statistic; num_batches_tracked is filled in by PyTorch
    const { worst, scale } = logitGap(ours, back.logits['224']!);
    expect(top1(ours)).toEqual(top1(back.logits['224']!));
    expect(worst).toBeLessThanOrEqual(1e-4 * scale);
  });

  it('imports float16 (.pth) and bfloat16 (safetensors) weights as PyTorch widens them, with its logits at K_test 224', async () => {
    const low = references.get('resnet18')!.lowPrecision!;
    for (const [precision, { file, logits: theirs }] of Object.entries(low)) {
      const model = await lab.models.import({ file, arch: 'resnet18', name: `resnet18 ${precision}` });
      const { predictions } = await lab.models.predict({ model: { modelId: model.id }, files: images, kTest: 224, topK: 1 });
      const ours = predictions.map((p) => p.logits);
      const { worst, scale } = logitGap(ours, theirs);
      expect(top1(ours), `${precision}: top-1`).toEqual(top1(theirs));
      expect(worst, `${precision}: max |Δlogit| (max |logit| ${scale})`).toBeLessThanOrEqual(1e-3 * scale);
    }
  });

  it('exports an imported model as ONNX that ONNX Runtime runs at K_test 224 and 288 with PyTorch’s logits', async () => {
    const model = imported.get('resnet18')![0]!;
    const out = join(t.dir, 'exported-onnx');
    const exported = await lab.models.export({ model: { modelId: model.id }, format: 'onnx', dir: out, force: false });
    expect(exported.files).toEqual(['model.onnx', 'config.json']);
    expectNoSameUpper(join(out, 'model.onnx'));
    const inputs = join(t.dir, 'inputs-imported');
    const torch = pytorchLogits(references.get('resnet18')!.files.safetensors, 10, inputs);
    for (const k of SIZES) {
      const theirs = torch.logits[String(k)]!;
      const ours = await onnxLogits(join(out, 'model.onnx'), inputs, k);
      const { worst, scale } = logitGap(ours, theirs);
      expect(top1(ours), `top-1 at K_test ${k}`).toEqual(top1(theirs));
      expect(worst, `max |Δlogit| at K_test ${k}`).toBeLessThanOrEqual(1e-3 * scale);
    }
  });

  it('exports a head-only fine-tune of an imported ResNet-18 as safetensors PyTorch loads strictly and ONNX with PyTorch’s logits', async () => {
    const data = join(t.dir, 'patterns');
    await writePatternFolder(data, { perClass: 6, size: 12 });
    const datasetId = (await (await lab.datasets.open(data)).scanned).id;
    const model = imported.get('resnet18')![0]!;
    // 4 classes, not the model's 10: a new head trained on the frozen trunk at K_train 224, then the FixRes step at 288.
    const probe = lab.models.use({ modelId: model.id, datasetId, epochs: 1, batchSize: 8, lr: 0.05 });
    expect(probe.config).toMatchObject({ trainable: 'classifier', kTrain: 224 });
    expect(await lab.runs.settled(probe.id)).toMatchObject({ status: 'completed' });
    const request = FinetuneRequest.parse({ parentRunId: probe.id, kTest: 288, epochs: 1, mode: 'classifier', batchSize: 8 });
    const child = startFinetune(lab.runs, request);
    expect(await lab.runs.settled(child.id)).toMatchObject({ status: 'completed', kind: 'finetune' });

    const out = join(t.dir, 'exported-run');
    const result = await lab.exports.exportRun(
      RunExportRequest.parse({ id: child.id, dir: out, formats: ['safetensors', 'onnx'] }),
    );
    expect(result.files.map((f) => f.path.slice(out.length + 1)).sort()).toEqual([
      'model/model.onnx',
      'model/model.safetensors',
      'model/preprocessing.json',
    ]);
    const config = PreprocessingConfig.parse(JSON.parse(readFileSync(join(out, 'model/preprocessing.json'), 'utf8')));
    expect(config).toMatchObject({
      architecture: 'resnet18',
      num_classes: 4,
      label_names: [...PATTERN_CLASSES].sort(),
      input_size: [3, 288, 288],
      test_input_size: [3, 288, 288],
      crop_pct: CROP_PCT,
      interpolation: 'bilinear',
      mean: IMAGENET_NORMALIZE.mean,
      std: IMAGENET_NORMALIZE.std,
      fine_tuned: { parent_run: probe.id, k: 288, trainable: 'classifier' },
    });

    const inputs = join(t.dir, 'inputs-finetuned');
    const torch = pytorchLogits(join(out, 'model/model.safetensors'), 4, inputs);
    expect(torch.keys).toBe(102);
    expectNoSameUpper(join(out, 'model/model.onnx'));
    for (const k of SIZES) {
      const theirs = torch.logits[String(k)]!;
      const { predictions } = await lab.models.predict({ model: { runId: child.id }, files: images, kTest: k, topK: 1 });
      const ours = predictions.map((p) => p.logits);
      const viaOnnx = await onnxLogits(join(out, 'model/model.onnx'), inputs, k);
      for (const [what, logits] of [
        ['the lab', ours],
        ['ONNX Runtime', viaOnnx],
      ] as const) {
        const { worst, scale } = logitGap(logits, theirs);
        expect(top1(logits), `${what}: top-1 at K_test ${k}`).toEqual(top1(theirs));
        expect(worst, `${what}: max |Δlogit| at K_test ${k} (max |logit| ${scale})`).toBeLessThanOrEqual(1e-3 * scale);
      }
    }
  }, 300_000);
});
