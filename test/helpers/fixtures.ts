import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'fixres-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a solid-colour PNG (real, decodable pixels) of the given size. */
export async function writePng(
  file: string,
  width = 16,
  height = 12,
  rgb: [number, number, number] = [200, 80, 40],
): Promise<void> {
  await sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .png()
    .toFile(file);
}

/** Builds `root/<class>/<i>.png` (or `root/<split>/<class>/…`) with real images. */
export async function makeImageFolder(root: string, classes: Record<string, number>, split?: 'train' | 'val'): Promise<void> {
  let n = 0;
  for (const [name, count] of Object.entries(classes)) {
    const dir = split ? join(root, split, name) : join(root, name);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < count; i++) await writePng(join(dir, `img-${i}.png`), 16 + i, 12, [(n * 40) % 256, 120, 200]);
    n++;
  }
}
