import { describe, expect, it } from 'vitest';
import { decodeImage, UnusableImageError } from '../../../src/engine/data/decode-image';
import { brokenImages, unusualImages } from '../../helpers/image-zoo';

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
