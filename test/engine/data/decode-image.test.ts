import { describe, expect, it } from 'vitest';
import { decodeImage, describeDecodeError, UnusableImageError } from '../../../src/engine/data/decode-image';
import { brokenImages, jpegWithDamagedData, unusualImages } from '../../helpers/image-zoo';

describe('decodeImage', async () => {
  const unusual = await unusualImages();
  const broken = await brokenImages();

  it.each(Object.keys(unusual))('loads %s images as 8-bit RGB', async (name) => {
    const { bytes, width, height } = unusual[name]!;
    const image = await decodeImage(bytes);
    expect([image.width, image.height]).toEqual([width, height]);
    expect(image.data).toBeInstanceOf(Uint8Array);
    expect(image.data.length).toBe(width * height * 3);
  });

  it('keeps the colour of grey, palette and 16-bit images', async () => {
    expect([...(await decodeImage(unusual.grey!.bytes)).data.subarray(0, 3)]).toEqual([90, 90, 90]);
    expect([...(await decodeImage(unusual['grey 16-bit']!.bytes)).data.subarray(0, 3)]).toEqual([128, 128, 128]);
    expect([...(await decodeImage(unusual['rgb 16-bit']!.bytes)).data.subarray(0, 3)]).toEqual([200, 50, 10]);
    expect([...(await decodeImage(unusual.palette!.bytes)).data.subarray(0, 3)]).toEqual([200, 50, 10]);
  });

  it('keeps the colour of CMYK, alpha (dropped as PIL does), EXIF-rotated and every other format, in every pixel', async () => {
    for (const name of ['cmyk', 'alpha', 'exif rotated', 'gif', 'tiff', 'webp', 'avif']) {
      const { data } = await decodeImage(unusual[name]!.bytes);
      // CMYK goes through a colour profile and back, the lossy formats round: a small tolerance, not a colour change.
      const tolerance = name === 'cmyk' ? 16 : 3;
      for (let i = 0; i < data.length; i += 3) {
        const pixel = [...data.subarray(i, i + 3)];
        const off = Math.max(...pixel.map((v, c) => Math.abs(v - [200, 50, 10][c]!)));
        expect(off, `${name} pixel ${i / 3}: ${pixel.join(',')}`).toBeLessThanOrEqual(tolerance);
      }
    }
  });

  it('decodes a JPEG whose markers are intact but whose compressed data is damaged, as Pillow does', async () => {
    const image = await decodeImage(await jpegWithDamagedData());
    expect([image.width, image.height]).toEqual([64, 64]);
  });

  it.each(Object.keys(broken))('refuses a %s with a reason', async (name) => {
    const { bytes, reason } = broken[name]!;
    const err = await decodeImage(bytes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnusableImageError);
    expect((err as Error).message).toMatch(reason);
  });

  it('applies a lower pixel limit when asked', async () => {
    await expect(decodeImage(unusual.gif!.bytes, { maxPixels: 10 })).rejects.toThrow(/too many pixels/);
  });
});

describe('describeDecodeError', () => {
  const unknown = new Error('Input buffer has corrupt header: VipsForeignLoad: buffer is not in a known format');
  it('calls a file with a recognised header but undecodable data corrupt, not of unknown format', () => {
    expect(describeDecodeError(unknown, undefined, Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toMatch(/truncated or corrupt/);
    expect(describeDecodeError(unknown, undefined, Buffer.from('hello'))).toMatch(/not a readable image/);
    expect(describeDecodeError(unknown)).toMatch(/not a readable image/);
  });
});
