import { crc32 } from 'node:zlib';
import sharp from 'sharp';

const RED = { r: 200, g: 50, b: 10 };
const NOISE = { type: 'gaussian' as const, mean: 128, sigma: 40 };

/** Images that are unusual but valid: each must decode to 8-bit RGB of the stated size. */
export async function unusualImages(): Promise<Record<string, { bytes: Buffer; ext: string; width: number; height: number }>> {
  const create = (channels: 3 | 4, alpha = 1) =>
    sharp({ create: { width: 6, height: 4, channels, background: { ...RED, alpha } } });
  const grey = sharp(Buffer.alloc(24, 90), { raw: { width: 6, height: 4, channels: 1 } });
  const grey16 = sharp(Buffer.alloc(48, 0x80), { raw: { width: 6, height: 4, channels: 1 } });
  return {
    grey: { bytes: await grey.png().toBuffer(), ext: '.png', width: 6, height: 4 },
    'grey 16-bit': { bytes: await grey16.toColourspace('grey16').png().toBuffer(), ext: '.png', width: 6, height: 4 },
    'rgb 16-bit': { bytes: await create(3).toColourspace('rgb16').png().toBuffer(), ext: '.png', width: 6, height: 4 },
    cmyk: { bytes: await create(3).toColourspace('cmyk').jpeg().toBuffer(), ext: '.jpg', width: 6, height: 4 },
    palette: { bytes: await create(4, 0.5).png({ palette: true }).toBuffer(), ext: '.png', width: 6, height: 4 },
    alpha: { bytes: await create(4, 0.3).png().toBuffer(), ext: '.png', width: 6, height: 4 },
    'exif rotated': {
      bytes: await create(3).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
      ext: '.jpg',
      width: 4,
      height: 6,
    },
    gif: { bytes: await create(3).gif().toBuffer(), ext: '.gif', width: 6, height: 4 },
    tiff: { bytes: await create(3).tiff().toBuffer(), ext: '.tif', width: 6, height: 4 },
    webp: { bytes: await create(3).webp({ lossless: true }).toBuffer(), ext: '.webp', width: 6, height: 4 },
    avif: { bytes: await create(3).avif().toBuffer(), ext: '.avif', width: 6, height: 4 },
  };
}

/** Files with an image extension that cannot be used, and a fragment of the reason each must get. */
export async function brokenImages(): Promise<Record<string, { bytes: Buffer; ext: string; reason: RegExp }>> {
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: RED } })
    .jpeg()
    .toBuffer();
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: RED } })
    .png()
    .toBuffer();
  // Noise makes the compressed data most of the file, so damage in the middle hits the data, not a chunk header.
  const noisyPng = await sharp({ create: { width: 64, height: 64, channels: 3, background: RED, noise: NOISE } })
    .png()
    .toBuffer();
  const half = Math.floor(noisyPng.length / 2);
  return {
    empty: { bytes: Buffer.alloc(0), ext: '.jpg', reason: /empty file/ },
    'truncated jpeg': { bytes: jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), ext: '.jpg', reason: /truncated or corrupt/ },
    'truncated png': { bytes: png.subarray(0, png.length - 30), ext: '.png', reason: /truncated or corrupt/ },
    'corrupt jpeg': { bytes: damaged(jpeg, 4, 24, () => 0), ext: '.jpg', reason: /truncated or corrupt/ },
    'corrupt png': { bytes: damaged(noisyPng, half, half + 40, (b) => b ^ 0x5a), ext: '.png', reason: /truncated or corrupt/ },
    'not an image': { bytes: Buffer.from('this is a text file, not a picture\n'), ext: '.jpg', reason: /not a readable image/ },
    'decompression bomb': { bytes: await pngClaiming(30000, 30000), ext: '.png', reason: /too many pixels/ },
  };
}

/** A copy of `bytes` with bytes [from, to) replaced by `change(byte)`: a file damaged after its signature. */
function damaged(bytes: Buffer, from: number, to: number, change: (byte: number) => number): Buffer {
  const copy = Buffer.from(bytes);
  for (let i = from; i < to; i++) copy[i] = change(copy[i]!);
  return copy;
}

/**
 * A JPEG whose markers are intact but whose compressed data is damaged: libjpeg only warns, and
 * it decodes (wrong pixels where the data is damaged), as it does in Pillow and so in torchvision.
 */
export async function jpegWithDamagedData(): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: RED, noise: NOISE } })
    .jpeg()
    .toBuffer();
  const at = Math.floor(jpeg.length * 0.7);
  return damaged(jpeg, at, at + 40, () => 0);
}

/** A tiny valid PNG whose header claims width × height (what a decompression bomb looks like to a decoder). */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(
    await sharp({ create: { width: 1, height: 1, channels: 3, background: RED } })
      .png()
      .toBuffer(),
  );
  // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC covers type + data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}
