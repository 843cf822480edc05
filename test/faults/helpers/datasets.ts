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
