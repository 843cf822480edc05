/**
 * Fashion-MNIST with varying apparent size, for docs/RESULTS.md §2.4.
 *
 * Why: FixRes's "test larger" gain appears on the synthetic shapes (object size varies ~3×) but
 * not on Fashion-MNIST, whose items are centred and fill the 28-px frame at one scale. This
 * script tests that hypothesis by giving each item a random apparent size: it is resized to
 * round(u · canvas) px, u uniform in [minScale, 1], and pasted at a uniform random position on
 * a black canvas × canvas image. The input is an imported ImageFolder tree
 * (`fixres dataset import fashion-mnist …`, layout root/{train,val}/<class>/*.png); the output
 * keeps every file's split, class and name, so split and class balance are unchanged.
 * Seeded: one random stream per file (split, class, file index), so reruns are byte-identical.
 *
 *   npx tsx bench/fashion-rescaled.ts <srcDir> <outDir> [canvas=48] [minScale=0.45] [seed=0]
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { streamFor } from '../src/core/rng';

const [srcDir, outDir] = process.argv.slice(2, 4);
if (!srcDir || !outDir) {
  console.error('usage: npx tsx bench/fashion-rescaled.ts <srcDir> <outDir> [canvas=48] [minScale=0.45] [seed=0]');
  process.exit(2);
}
const canvas = Number(process.argv[4] ?? 48);
const minScale = Number(process.argv[5] ?? 0.45);
const seed = Number(process.argv[6] ?? 0);
const SPLITS = ['train', 'val'];

/** The item resized to side × side px, on a black canvas at (left, top). */
async function rescaled(file: string, side: number, left: number, top: number): Promise<Buffer> {
  const item = await sharp(file).removeAlpha().resize(side, side).toBuffer();
  const background = { r: 0, g: 0, b: 0 };
  return sharp({ create: { width: canvas, height: canvas, channels: 3, background } })
    .composite([{ input: item, left, top }])
    .png()
    .toBuffer();
}

const sides: number[] = [];
for (const [splitIndex, split] of SPLITS.entries()) {
  const classes = (await readdir(join(srcDir, split))).sort();
  for (const [classIndex, label] of classes.entries()) {
    const files = (await readdir(join(srcDir, split, label))).filter((f) => f.endsWith('.png')).sort();
    await mkdir(join(outDir, split, label), { recursive: true });
    for (const [fileIndex, name] of files.entries()) {
      const rng = streamFor(seed, splitIndex, classIndex, fileIndex);
      const side = Math.round(canvas * rng.uniformRange(minScale, 1));
      const left = rng.int(canvas - side + 1);
      const top = rng.int(canvas - side + 1);
      const png = await rescaled(join(srcDir, split, label, name), side, left, top);
      await writeFile(join(outDir, split, label, name), png);
      sides.push(side);
    }
  }
}
sides.sort((a, b) => a - b);
const at = (q: number): number => sides[Math.floor(q * (sides.length - 1))]!;
console.log(
  `wrote ${sides.length} images (${canvas}×${canvas}) to ${outDir}; item side px: ` +
    `min ${at(0)}, median ${at(0.5)}, max ${at(1)}`,
);
