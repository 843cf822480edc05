import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnNodeEngine } from '../../../src/lab/engine/node-engine';
import { createLab, type Lab } from '../../../src/lab/lab';
import type { Model } from '../../../src/shared/api/models';
import { IMAGENET_NORMALIZE } from '../../../src/shared/jobs/data-spec';
import { tempDir } from '../../helpers/fixtures';
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
});
