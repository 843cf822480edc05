import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { drawItem } from './synthetic-source';

export const PATTERN_CLASSES = ['horizontal', 'vertical', 'diagonal', 'blob'];

/** Writes `root/<class>/<i>.png`: the synthetic patterns as real PNG files, for end-to-end training. */
export async function writePatternFolder(
  root: string,
  options: { perClass: number; size: number; seed?: number },
): Promise<void> {
  const { perClass, size } = options;
  for (const [label, name] of PATTERN_CLASSES.entries()) {
    mkdirSync(join(root, name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const values = drawItem(label, size, options.seed ?? 1, label * perClass + i, 0.2);
      const bytes = Uint8Array.from(values, (v) => Math.max(0, Math.min(255, Math.round(128 + 80 * v))));
      await sharp(bytes, { raw: { width: size, height: size, channels: 3 } })
        .png()
        .toFile(join(root, name, `${i}.png`));
    }
  }
}
