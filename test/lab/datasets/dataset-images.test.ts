import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import type { Dataset } from '../../../src/shared/api/datasets';
import { makeImageFolder, tempDir } from '../../helpers/fixtures';

const t = tempDir();
let lab: Lab;
let ds: Dataset;

beforeAll(async () => {
  await makeImageFolder(join(t.dir, 'pets'), { cat: 3, dog: 2 });
  writeFileSync(join(t.dir, 'pets', 'dog', 'broken.png'), 'nope');
  lab = createLab({ dataDir: join(t.dir, 'home'), spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
  ds = await (await lab.datasets.open(join(t.dir, 'pets'))).scanned;
});
afterAll(() => {
  lab.close();
  t.cleanup();
});

const decode = (dataUrl: string) => sharp(Buffer.from(dataUrl.split(',')[1]!, 'base64')).metadata();

describe('dataset images, thumbnails and previews', () => {
  it('pages images per class with their inspection', () => {
    const page = lab.datasetImages.images(ds.id, { className: 'dog', offset: 0, limit: 2 });
    expect(page.total).toBe(3);
    expect(page.images.map((i) => [i.relPath, i.status])).toEqual([
      ['dog/broken.png', 'unreadable'],
      ['dog/img-0.png', 'ok'],
    ]);
    expect(page.images[1]).toMatchObject({ width: 16, height: 12, format: 'png' });
  });

  it('serves cached thumbnails by image id, re-rendering a deleted cache file, and explains unreadable ones', async () => {
    const { images } = lab.datasetImages.images(ds.id, { offset: 0, limit: 10 });
    const ids = images.map((i) => i.id);
    rmSync(join(t.dir, 'home', 'cache', 'thumbs'), { recursive: true });
    const thumbs = await lab.datasetImages.thumbnails(ids);
    for (const [i, thumb] of thumbs.entries()) {
      if (images[i]!.status === 'ok') {
        expect(thumb.dataUrl).toMatch(/^data:image\/webp;base64,/);
        expect(await decode(thumb.dataUrl!)).toMatchObject({ format: 'webp', width: images[i]!.width });
      } else expect(thumb).toMatchObject({ dataUrl: null, error: expect.stringMatching(/not a readable image/) });
    }
    expect((await lab.datasetImages.thumbnails([999999]))[0]!.error).toMatch(/No image with id 999999/);
  });

  it('renders a large preview, and refuses an image whose file now links outside the dataset', async () => {
    const cat = lab.datasetImages.images(ds.id, { className: 'cat', offset: 0, limit: 1 }).images[0]!;
    const preview = await lab.datasetImages.preview(cat.id, 512);
    expect([preview.width, preview.height]).toEqual([16, 12]);
    const file = join(t.dir, 'pets', cat.relPath);
    rmSync(file);
    writeFileSync(
      join(t.dir, 'secret.png'),
      await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } })
        .png()
        .toBuffer(),
    );
    symlinkSync(join(t.dir, 'secret.png'), file);
    await expect(lab.datasetImages.preview(cat.id, 512)).rejects.toThrow(/outside the dataset/);
  });

  it('returns the inspection: sizes, aspect ratios, formats and channel statistics', () => {
    const inspection = lab.datasetImages.inspection(ds.id);
    expect(inspection.formats).toEqual([{ format: 'png', count: 5 }]);
    expect(inspection.sizes.reduce((n, s) => n + s.count, 0)).toBe(5);
    expect(inspection.aspectRatios.reduce((n, b) => n + b.count, 0)).toBe(5);
    expect(inspection.unreadable.total).toBe(1);
    expect(inspection.channelStats!.images).toBe(5);
    expect(inspection.channelStats!.mean).toHaveLength(3);
  });
});
