/**
 * Are our pixels torchvision's? Decode + test transform (Resize + CenterCrop) and resized crops
 * of RandomResizedCrop boxes, compared value by value with torchvision + PIL on the bench JPEGs.
 *   tsx bench/data-pixels.ts <imageDir> <count>
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sampleTrainCrop } from '../src/core/crops';
import { Rng } from '../src/core/rng';
import { planSample } from '../src/core/sample-plan';
import { decodeImageFile } from '../src/engine/data/decode-image';
import { renderSample } from '../src/engine/data/pixels/render-sample';
import { runReference } from '../test/helpers/python-reference';

const [dir, countArg] = process.argv.slice(2) as [string, string];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.jpg'))
  .slice(0, Number(countArg))
  .map((f) => join(dir, f));
let maxDiff = 0;
let differing = 0;
let values = 0;
for (const k of [128, 224]) {
  for (const file of files) {
    const image = await decodeImageFile(file);
    const box = sampleTrainCrop(image.width, image.height, { scale: [0.08, 1], ratio: [3 / 4, 4 / 3] }, Rng.fromSeed(values));
    const [theirs] = runReference<{ test: number[]; train: number[] }[]>('torchvision_transforms.py', {
      cases: [{ file, k, crop_pct: 0.875, box: [box.x, box.y, box.w, box.h] }],
    });
    const test = renderSample(
      image,
      planSample(image.width, image.height, { kind: 'test', k, cropPct: 0.875, interpolation: 'bilinear' }, Rng.fromSeed(0)),
      'bilinear',
    );
    const window = { x: 0, y: 0, w: k, h: k };
    const train = renderSample(image, { region: box, outWidth: k, outHeight: k, window, flip: false, jitter: null }, 'bilinear');
    for (const [ours, ref] of [
      [test, theirs!.test],
      [train, theirs!.train],
    ] as const) {
      for (let i = 0; i < ours.length; i++) {
        const d = Math.abs(ours[i]! - ref[i]!);
        if (d) differing++;
        maxDiff = Math.max(maxDiff, d);
      }
      values += ours.length;
    }
  }
}
process.stdout.write(`${JSON.stringify({ images: files.length, k: [128, 224], values, differing, max_abs_diff: maxDiff })}\n`);
