import { readFile, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { describeFsError } from './safe-path';
import type { RgbImage } from './pixels/rgb-image';
import { withVipsErrorRetry } from './vips-retry';

/** Decompression-bomb guard: images with more pixels than this are refused (Pillow warns at 89 MP). */
export const MAX_IMAGE_PIXELS = 100_000_000;

/** Why an image cannot be used, in words a user can act on. */
export class UnusableImageError extends Error {
  override name = 'UnusableImage';
}

export interface DecodeOptions {
  maxPixels?: number;
}

/**
 * Decodes any format sharp reads (JPEG, PNG, WebP, GIF first frame, TIFF, AVIF) to 8-bit sRGB:
 * EXIF orientation applied; grey, CMYK, 16-bit and palette converted; alpha dropped as PIL's
 * convert('RGB') does. Truncated or corrupt files throw UnusableImageError with the reason.
 */
export async function decodeImage(input: Buffer, options: DecodeOptions = {}): Promise<RgbImage> {
  if (input.length === 0) throw new UnusableImageError('empty file (0 bytes)');
  const limit = options.maxPixels ?? MAX_IMAGE_PIXELS;
  try {
    return await withVipsErrorRetry(() => decodeRaw(input, limit));
  } catch (err) {
    if (err instanceof UnusableImageError) throw err;
    throw new UnusableImageError(describeDecodeError(err as Error, limit, input));
  }
}

async function decodeRaw(input: Buffer, limit: number): Promise<RgbImage> {
  const { data, info } = await sharp(input, { limitInputPixels: limit, failOn: 'truncated', pages: 1 })
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new UnusableImageError(`unexpected ${info.channels} channels after conversion`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** Reads and decodes a file, turning filesystem and decoder failures into UnusableImageError. */
export async function decodeImageFile(file: string, options: DecodeOptions = {}): Promise<RgbImage> {
  return decodeImage(await readImageBytes(file), options);
}

/**
 * Image files larger than this are refused unread. Within the pixel limit even an uncompressed
 * 16-bit RGBA image is 800 MB; a bigger file is not an image we can use, and reading it whole would
 * take that much memory (Node cannot read a file over 2 GB into one buffer at all).
 */
export const MAX_IMAGE_FILE_BYTES = 2 ** 30;

/** A file's bytes, refused by its size before anything is read; failures are UnusableImageError with the reason. */
export async function readImageBytes(file: string, maxBytes = MAX_IMAGE_FILE_BYTES): Promise<Buffer> {
  const fail = (err: NodeJS.ErrnoException): never => {
    throw new UnusableImageError(describeFsError(err));
  };
  const info = await stat(file).catch(fail);
  if (info.size > maxBytes)
    throw new UnusableImageError(
      `file too large (${formatBytes(info.size)}; image files over ${formatBytes(maxBytes)} are not read)`,
    );
  return readFile(file).catch(fail);
}

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.round(bytes / 2 ** 20)} MB`;
}

/** File signatures of the formats we read (JPEG, PNG, GIF, WebP's RIFF, TIFF both byte orders). */
const SIGNATURES = [
  [0xff, 0xd8, 0xff],
  [0x89, 0x50, 0x4e, 0x47],
  [0x47, 0x49, 0x46],
  [0x52, 0x49, 0x46, 0x46],
  [0x49, 0x49, 0x2a],
  [0x4d, 0x4d, 0x00, 0x2a],
];

function hasKnownSignature(bytes: Uint8Array): boolean {
  return SIGNATURES.some((sig) => sig.every((b, i) => bytes[i] === b));
}

/**
 * Maps libvips messages onto short reasons. Given the file's bytes, an "unknown format" message for
 * a file that starts like a JPEG/PNG/… is taken as corruption after the header (such a message can
 * also be another file's, read from libvips's process-wide error buffer).
 */
export function describeDecodeError(err: Error, limit = MAX_IMAGE_PIXELS, bytes?: Uint8Array): string {
  const message = err.message.split('\n')[0]!.trim();
  if (/pixel limit/i.test(message))
    return `too many pixels (over ${(limit / 1e6).toFixed(0)} megapixels; decompression-bomb limit)`;
  const unknownFormat = /unsupported image format|not in a known format/i.test(message);
  if (unknownFormat && bytes && hasKnownSignature(bytes))
    return 'truncated or corrupt file (the header is recognised, the data is not)';
  if (unknownFormat) return 'not a readable image (unknown or corrupt format)';
  // libvips says "bad seek to N" when a decoder seeks past the end of a truncated file.
  // "corrupt header" is libvips's name for a decoder that gave up on the file's structure (e.g. a JPEG marker).
  if (/premature end|truncated|read error|unexpected end|bad seek|corrupt header/i.test(message))
    return `truncated or corrupt file (${message})`;
  // Left when even the retry got no message from libvips; what fails after a good header is the data.
  if (/^unknown error$/i.test(message)) return 'truncated or corrupt file (the decoder gave no details)';
  return `cannot decode: ${message}`;
}
