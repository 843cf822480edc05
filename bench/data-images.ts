import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { sampleScene } from '../src/core/synthetic-scene';
import { sceneSvg } from '../src/core/synthetic-svg';
import { IMAGENET_NORMALIZE, type DataSpec } from '../src/shared/jobs/data-spec';

export const BENCH_IMAGES = 300;

/**
 * ~500×375 JPEGs (quality 90) like ImageNet's typical photo: a synthetic scene with sensor-like
 * noise so the files carry photo-like entropy (≈ 60–100 KB). Generated once per folder.
 */
export async function ensureBenchImages(dir: string, count = BENCH_IMAGES): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `img-${String(i).padStart(4, '0')}.jpg`);
  if (existsSync(dir) && readdirSync(dir).filter((f) => f.endsWith('.jpg')).length === count) return names;
  mkdirSync(dir, { recursive: true });
  const settings = { classes: 10, size: 375, objectScale: [0.3, 0.8] as const, seed: 42 };
  for (const [i, name] of names.entries()) {
    const scene = { ...sampleScene(settings, i % 10, i), width: 500, height: 375 };
    scene.cx = Math.min(Math.max(scene.cx, scene.objectPx / 2), 500 - scene.objectPx / 2);
    scene.cy = Math.min(Math.max(scene.cy, scene.objectPx / 2), 375 - scene.objectPx / 2);
    const base = await sharp(Buffer.from(sceneSvg(scene, i)))
      .removeAlpha()
      .raw()
      .toBuffer();
    const noise = await sharp({
      create: { width: 500, height: 375, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 18 } },
    } as never)
      .raw()
      .toBuffer();
    const mixed = Buffer.from(base.map((v, j) => Math.max(0, Math.min(255, v + noise[j]! - 128))));
    await sharp(mixed, { raw: { width: 500, height: 375, channels: 3 } })
      .jpeg({ quality: 90 })
      .toFile(join(dir, name));
  }
  return names;
}

/** A one-class train DataSpec over the bench images: RandomResizedCrop(k) + flip (+ jitter), ImageNet normalisation. */
export function benchSpec(dir: string, names: string[], k: number, extra: Partial<DataSpec> = {}, jitter = 0): DataSpec {
  return {
    root: dir,
    classNames: ['x'],
    items: names.map((relPath) => ({ relPath, label: 0 })),
    transform: { kind: 'train', k, scale: [0.08, 1], ratio: [3 / 4, 4 / 3], hflip: true, jitter, interpolation: 'bilinear' },
    normalize: IMAGENET_NORMALIZE,
    seed: 1,
    ...extra,
  };
}
