import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../../../src/engine/backend/select-backend';
import { openBatchSource } from '../../../src/engine/data/open-batch-source';
import { inferenceForward } from '../../../src/engine/eval/forward';
import { importTorchWeights } from '../../../src/engine/models/import-torch';
import { IMAGENET_NORMALIZE } from '../../../src/shared/jobs/data-spec';
import type { ArchName } from '../../../src/shared/models/registry';
import { tempDir } from '../../helpers/fixtures';
import { logitGap, top1, writePhotoImages } from '../../helpers/photo-images';
import { hasReferencePython, REFERENCE_MISSING, runReference } from '../../helpers/python-reference';

/**
 * PyTorch-made weights, read from each file format, give PyTorch's logits on real image files
 * through the lab's own test transform and folded forward pass. ResNet-18 at a small and two
 * large K_test here; the lab-level test (test/lab/models/pytorch-parity.test.ts) does ResNet-18
 * and ResNet-50 at 224 and 288 through `models.predict`, as `fixres predict` does.
 */
const CROP_PCT = 0.875;
const CASES: { arch: ArchName; classes: number; sizes: number[]; formats: string[] }[] = [
  { arch: 'resnet18', classes: 10, sizes: [64, 224], formats: ['safetensors', 'pth', 'fixres'] },
];

interface Reference {
  files: Record<string, string>;
  logits: Record<string, number[][]>;
}

const haveReference = hasReferencePython();
if (!haveReference) console.warn(`torchvision parity: ${REFERENCE_MISSING}`);
const scratch = tempDir('fixres-parity-');
const images: string[] = [];
const references = new Map<ArchName, Reference>();

beforeAll(async () => {
  if (!haveReference) return;
  await ensureBackend('wasm');
  images.push(...(await writePhotoImages(scratch.dir)));
  for (const c of CASES) {
    references.set(
      c.arch,
      runReference<Reference>('torchvision_resnet.py', {
        dir: scratch.dir,
        arch: c.arch,
        seed: 11,
        numClasses: c.classes,
        images,
        sizes: c.sizes,
        cropPct: CROP_PCT,
        formats: c.formats,
      }),
    );
  }
}, 300_000);

afterAll(() => scratch.cleanup());

/** The lab's logits for `images` at `k`: its test transform (Resize + CenterCrop, Pillow-exact) and folded forward pass. */
async function labLogits(model: tfl.LayersModel, k: number): Promise<number[][]> {
  const source = await openBatchSource(
    {
      root: scratch.dir,
      classNames: ['only'],
      items: images.map((file) => ({ relPath: file.slice(scratch.dir.length + 1), label: 0 })),
      transform: { kind: 'test', k, cropPct: CROP_PCT, interpolation: 'bilinear' },
      normalize: IMAGENET_NORMALIZE,
      seed: 0,
    },
    { workers: 0 },
  );
  const forward = inferenceForward(model, { features: false });
  const rows: number[][] = [];
  try {
    for await (const batch of source.epoch(0, { batchSize: images.length, dropLast: false })) {
      const logits = tf.tidy(() => forward.run(tf.tensor4d(batch.pixels, [batch.size, k, k, 3])).logits);
      rows.push(...(logits.arraySync() as number[][]));
      logits.dispose();
    }
  } finally {
    forward.dispose();
    await source.close();
  }
  return rows;
}

describe.skipIf(!haveReference)("PyTorch-made torchvision ResNets give PyTorch's logits", () => {
  describe.each(CASES)('$arch', ({ arch, sizes, formats }) => {
    it(`reads the same weights from ${formats.join(', ')} files`, async () => {
      const ref = references.get(arch)!;
      const [first, ...others] = await Promise.all(formats.map((f) => importTorchWeights(ref.files[f]!, arch)));
      expect(first!.read.format).toBe('safetensors');
      const weights = first!.model.getWeights().map((w) => w.dataSync());
      for (const other of others) {
        const theirs = other.model.getWeights().map((w) => w.dataSync());
        expect(theirs.every((w, i) => tf.util.arraysEqual(w, weights[i]!))).toBe(true);
        other.model.dispose();
      }
      expect(others.map((o) => o.read.format)).toEqual(['torch-zip', 'torch-zip']);
      expect(others[1]!.read).toMatchObject({ where: 'model', strippedPrefix: 'module.' });
      first!.model.dispose();
    });

    it(`agrees with PyTorch at K_test ${sizes.join(', ')}: same top-1, max |Δlogit| ≤ 1e-3·max|logit|`, async () => {
      const ref = references.get(arch)!;
      const { model } = await importTorchWeights(ref.files['fixres']!, arch);
      try {
        for (const k of sizes) {
          const ours = await labLogits(model, k);
          const theirs = ref.logits[String(k)]!;
          const { worst, scale } = logitGap(ours, theirs);
          expect(top1(ours), `top-1 at K ${k}`).toEqual(top1(theirs));
          expect(worst, `max |Δlogit| at K ${k} (max |logit| ${scale})`).toBeLessThanOrEqual(1e-3 * scale);
        }
      } finally {
        model.dispose();
      }
    });
  });
});
