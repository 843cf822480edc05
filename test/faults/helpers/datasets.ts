import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

/** `count` copies of one small PNG spread over `classes` class folders: a dataset whose scan takes a moment. */
export async function manyImages(root: string, count: number, classes = 2): Promise<void> {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();
  for (let c = 0; c < classes; c++) mkdirSync(join(root, `class-${c}`), { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(join(root, `class-${i % classes}`, `${i}.png`), png);
}

/**
 * `count` different 160×160 noise PNGs over `classes` class folders: each has its own content hash and a
 * grid thumbnail of ~18 KB (noise does not compress), so a few hundred fill a small disk or cache.
 */
export async function noiseImages(root: string, count: number, classes = 2, seed = 1): Promise<void> {
  let state = seed >>> 0 || 1;
  const pixels = Buffer.alloc(160 * 160 * 3);
  for (let c = 0; c < classes; c++) mkdirSync(join(root, `class-${c}`), { recursive: true });
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < pixels.length; p++) {
      // xorshift32: fast, seeded, no visible period at this size.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      pixels[p] = state & 255;
    }
    const png = await sharp(pixels, { raw: { width: 160, height: 160, channels: 3 } })
      .png()
      .toBuffer();
    writeFileSync(join(root, `class-${i % classes}`, `${i}.png`), png);
  }
}
