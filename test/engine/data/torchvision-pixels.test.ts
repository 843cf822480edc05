import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleTrainCrop } from '../../../src/core/crops';
import { Rng } from '../../../src/core/rng';
import { planSample } from '../../../src/core/sample-plan';
import { decodeImageFile } from '../../../src/engine/data/decode-image';
import { renderSample } from '../../../src/engine/data/pixels/render-sample';
import { noiseImage } from '../../fixtures/reference/resize-cases';
import { tempDir } from '../../helpers/fixtures';
import { hasReferencePython, REFERENCE_MISSING, runReference } from '../../helpers/python-reference';
import { testSpec } from '../../helpers/transforms';

const t = tempDir();
afterAll(() => t.cleanup());

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe.skipIf(!hasReferencePython())('pixels against torchvision + PIL on real files (live)', () => {
  it('gives the same test-transform and resized-crop pixels as torchvision (PNG exactly, JPEG within decoder rounding)', async () => {
    const files: { file: string; lossless: boolean }[] = [];
    for (const [i, [w, h]] of [
      [97, 61],
      [61, 97],
      [120, 90],
    ].entries()) {
      const raw = sharp(Buffer.from(noiseImage(w!, h!, i + 7)), { raw: { width: w!, height: h!, channels: 3 } }).blur(1.2);
      const png = join(t.dir, `n${i}.png`);
      const jpg = join(t.dir, `n${i}.jpg`);
      await raw.clone().png().toFile(png);
      await raw.clone().jpeg({ quality: 92 }).toFile(jpg);
      files.push({ file: png, lossless: true }, { file: jpg, lossless: false });
    }
    const k = 32;
    const cases = await Promise.all(
      files.map(async ({ file }, i) => {
        const image = await decodeImageFile(file);
        const box = sampleTrainCrop(image.width, image.height, { scale: [0.08, 1], ratio: [3 / 4, 4 / 3] }, Rng.fromSeed(i));
        return { file, k, crop_pct: 0.875, box: [box.x, box.y, box.w, box.h], image, region: box };
      }),
    );
    const theirs = runReference<{ test: number[]; train: number[] }[]>('torchvision_transforms.py', {
      cases: cases.map(({ file, k: kk, crop_pct, box }) => ({ file, k: kk, crop_pct, box })),
    });
    cases.forEach((c, i) => {
      const test = renderSample(c.image, planSample(c.image.width, c.image.height, testSpec(k), Rng.fromSeed(0)), 'bilinear');
      const window = { x: 0, y: 0, w: k, h: k };
      const train = renderSample(
        c.image,
        { region: c.region, outWidth: k, outHeight: k, window, flip: false, jitter: null },
        'bilinear',
      );
      const limit = files[i]!.lossless ? 0 : 2;
      expect(maxDiff(test, theirs[i]!.test), `${c.file} test`).toBeLessThanOrEqual(limit);
      expect(maxDiff(train, theirs[i]!.train), `${c.file} train`).toBeLessThanOrEqual(limit);
    });
  });
});

if (!hasReferencePython()) console.warn(`torchvision pixel comparison ${REFERENCE_MISSING}`);
