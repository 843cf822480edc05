import { mkdir, realpath, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import type { ThumbnailInput, ThumbnailResult } from '../../shared/jobs/thumbnail';
import { userError } from '../../shared/errors';
import { describeDecodeError, MAX_IMAGE_PIXELS } from './decode-image';
import { resolveInsideRoot } from './safe-path';

/** The `thumbnail` job: one image of a dataset as WebP, at most maxSide pixels on its longer side. */
export async function runThumbnailJob(input: ThumbnailInput): Promise<ThumbnailResult> {
  const file = await resolveInsideRoot(input.root, input.relPath, await realpath(input.root));
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await sharp(file, { failOn: 'truncated', limitInputPixels: MAX_IMAGE_PIXELS })
      .rotate()
      .resize(input.maxSide, input.maxSide, { fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .webp({ quality: 85 })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw userError(`Cannot show ${input.relPath}: ${describeDecodeError(err as Error)}`);
  }
  if (!input.outFile) return { bytes: new Uint8Array(out.data), width: out.info.width, height: out.info.height };
  await mkdir(dirname(input.outFile), { recursive: true });
  const temp = `${input.outFile}.${process.pid}.tmp`;
  await writeFile(temp, out.data);
  await rename(temp, input.outFile);
  return { bytes: new Uint8Array(0), width: out.info.width, height: out.info.height };
}
