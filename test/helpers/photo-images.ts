import { join } from 'node:path';
import sharp from 'sharp';

/**
 * Writes photo-like PNGs (noise over a coloured background and a disc) in three sizes and
 * aspect ratios, for comparing a model's predictions with PyTorch's on the same files.
 */
export async function writePhotoImages(dir: string): Promise<string[]> {
  const sizes: [number, number][] = [
    [320, 240],
    [211, 300],
    [500, 333],
  ];
  const files: string[] = [];
  for (const [i, [width, height]] of sizes.entries()) {
    const file = join(dir, `image-${i}.png`);
    const noise = await sharp({
      create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 120, sigma: 50 } },
    })
      .png()
      .toBuffer();
    const scene = Buffer.from(
      `<svg width="${width}" height="${height}"><rect width="100%" height="100%" fill="rgb(${40 * i},90,160)"/>` +
        `<circle cx="${width / 2}" cy="${height / 2.5}" r="${height / 3}" fill="rgb(230,${70 * i},40)"/></svg>`,
    );
    await sharp(scene)
      .composite([{ input: noise, blend: 'overlay' }])
      .png()
      .toFile(file);
    files.push(file);
  }
  return files;
}

/** Max |a − b| over two tables of logits, and the largest |logit| of the reference. */
export function logitGap(ours: number[][], theirs: number[][]): { worst: number; scale: number } {
  return {
    worst: Math.max(...ours.flatMap((row, i) => row.map((v, j) => Math.abs(v - theirs[i]![j]!)))),
    scale: Math.max(...theirs.flat().map(Math.abs)),
  };
}

/** Index of the largest value of each row. */
export function top1(rows: number[][]): number[] {
  return rows.map((row) => row.indexOf(Math.max(...row)));
}
