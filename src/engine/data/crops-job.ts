import { realpath } from 'node:fs/promises';
import sharp from 'sharp';
import { planSample, type SamplePlan } from '../../core/sample-plan';
import { Rng } from '../../core/rng';
import { userError } from '../../shared/errors';
import type { CropPatchesInput, CropPatchesResult } from '../../shared/jobs/crops';
import { decodeImageFile, UnusableImageError } from './decode-image';
import { renderSample } from './pixels/render-sample';
import { resolveInsideRoot } from './safe-path';

/** The `crops` job: decode one image and render each train box and the test crop as a K × K PNG. */
export async function runCropsJob(input: CropPatchesInput): Promise<CropPatchesResult> {
  const file = await resolveInsideRoot(input.root, input.relPath, await realpath(input.root));
  const image = await decodeImageFile(file).catch((err: unknown) => {
    throw err instanceof UnusableImageError ? userError(`Cannot use ${input.relPath}: ${err.message}`) : err;
  });
  const k = input.kTrain;
  const png = (pixels: Uint8Array, side: number) =>
    sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
      .png()
      .toBuffer()
      .then((b) => new Uint8Array(b));
  const train = await Promise.all(
    input.trainBoxes.map((box) => {
      if (box.x < 0 || box.y < 0 || box.x + box.w > image.width || box.y + box.h > image.height) {
        throw userError(`Crop box ${JSON.stringify(box)} lies outside the ${image.width}×${image.height} image`);
      }
      const plan: SamplePlan = {
        region: box,
        outWidth: k,
        outHeight: k,
        window: { x: 0, y: 0, w: k, h: k },
        flip: false,
        jitter: null,
      };
      return png(renderSample(image, plan, input.interpolation), k);
    }),
  );
  const testPlan = planSample(
    image.width,
    image.height,
    { kind: 'test', k: input.kTest, cropPct: input.cropPct, interpolation: input.interpolation },
    Rng.fromSeed(0),
  );
  const test = await png(renderSample(image, testPlan, input.interpolation), input.kTest);
  return { train, test };
}
