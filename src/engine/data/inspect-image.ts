import { createHash } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { thumbnailFile, type InspectedImage } from '../../shared/jobs/inspect';
import { describeDecodeError, MAX_IMAGE_PIXELS, readImageBytes } from './decode-image';
import { resolveInsideRoot } from './safe-path';
import { withVipsErrorRetry } from './vips-retry';

export interface InspectOptions {
  rootReal: string;
  thumbDir: string;
  thumbSide: number;
}

/**
 * Reads one image fully: content hash, size after EXIF orientation, format, a cached WebP
 * thumbnail and per-channel statistics. Anything wrong is returned as `unreadable` with the
 * reason, never thrown, so one bad file cannot stop a scan.
 */
export async function inspectImage(root: string, relPath: string, options: InspectOptions): Promise<InspectedImage> {
  const unreadable = (error: string, hash: string | null = null) => unreadableImage(relPath, error, hash);
  let bytes: Buffer;
  try {
    bytes = await readImageBytes(await resolveInsideRoot(root, relPath, options.rootReal));
  } catch (err) {
    const e = err as Error;
    return unreadable(e.name === 'UserError' ? e.message.replace(/^Cannot open [^:]*: /, '') : e.message);
  }
  if (bytes.length === 0) return unreadable('empty file (0 bytes)');
  const hash = createHash('sha1').update(bytes).digest('hex');
  try {
    return await withVipsErrorRetry(() => readImage(relPath, bytes, hash, options));
  } catch (err) {
    return unreadable(describeDecodeError(err as Error, MAX_IMAGE_PIXELS, bytes), hash);
  }
}

/** Metadata, thumbnail and channel statistics of one image's bytes; libvips failures are thrown. */
async function readImage(relPath: string, bytes: Buffer, hash: string, options: InspectOptions): Promise<InspectedImage> {
  const meta = await sharp(bytes, { failOn: 'truncated', limitInputPixels: false }).metadata();
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) return unreadableImage(relPath, 'no image size in the file', hash);
  if (width * height > MAX_IMAGE_PIXELS) return unreadableImage(relPath, describeDecodeError(new Error('pixel limit')), hash);
  const { data, info } = await sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_IMAGE_PIXELS })
    .rotate()
    .resize(options.thumbSide, options.thumbSide, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  // The thumbnail is only a cache: a full or read-only cache folder must not make a good image unreadable.
  await writeThumbnail(join(options.thumbDir, thumbnailFile(hash)), data, info.width, info.height).catch(() => undefined);
  const stats = channelStats(data);
  const format = meta.format === 'heif' && meta.compression === 'av1' ? 'avif' : (meta.format ?? 'unknown');
  return { relPath, status: 'ok', error: null, width, height, format, hash, ...stats };
}

function unreadableImage(relPath: string, error: string, hash: string | null): InspectedImage {
  return {
    relPath,
    status: 'unreadable',
    error,
    hash,
    width: null,
    height: null,
    format: null,
    channelMean: null,
    channelMeanSquare: null,
  };
}

/** Writes the thumbnail once per content hash (atomically: temp file + rename). */
async function writeThumbnail(file: string, rgb: Buffer, width: number, height: number): Promise<void> {
  if (await stat(file).catch(() => null)) return;
  await mkdir(dirname(file), { recursive: true });
  const webp = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .webp({ quality: 80 })
    .toBuffer();
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temp, webp);
  await rename(temp, file);
}

/** Mean and mean square per channel of 8-bit RGB pixels, on the 0..1 scale. */
export function channelStats(rgb: Uint8Array): Pick<InspectedImage, 'channelMean' | 'channelMeanSquare'> {
  let r = 0;
  let g = 0;
  let b = 0;
  let rr = 0;
  let gg = 0;
  let bb = 0;
  for (let i = 0; i < rgb.length; i += 3) {
    const vr = rgb[i]! / 255;
    const vg = rgb[i + 1]! / 255;
    const vb = rgb[i + 2]! / 255;
    r += vr;
    g += vg;
    b += vb;
    rr += vr * vr;
    gg += vg * vg;
    bb += vb * vb;
  }
  const n = Math.max(1, rgb.length / 3);
  return { channelMean: [r / n, g / n, b / n], channelMeanSquare: [rr / n, gg / n, bb / n] };
}
