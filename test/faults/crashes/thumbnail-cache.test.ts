import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine/node-engine';
import { thumbnailFile } from '../../../src/shared/jobs/inspect';
import { tempDir } from '../../helpers/fixtures';
import { noiseImages } from '../helpers/datasets';
import { mountTmpfs, tmpfsUnavailable } from '../helpers/tmpfs';

const t = tempDir('fixres-faults-thumbs-');
beforeAll(async () => {
  await noiseImages(join(t.dir, 'noise'), 150, 2, 1);
  await noiseImages(join(t.dir, 'other'), 20, 2, 2);
  // One image of `noise` is also in `other`: its thumbnail is shared.
  copyFileSync(join(t.dir, 'noise', 'class-0', '0.png'), join(t.dir, 'other', 'class-0', 'shared.png'));
  await noiseImages(join(t.dir, 'fills-disk'), 200, 2, 3);
});
afterAll(() => t.cleanup());

const openLab = (dataDir: string, thumbnailCacheMb?: number): Lab =>
  createLab({ dataDir, spawnEngine: spawnNodeEngine, transport: 'web', version: 'faults', thumbnailCacheMb });

/** Bytes and names of the thumbnail files on disk. */
function thumbsOnDisk(home: string): { bytes: number; names: Set<string> } {
  const dir = join(home, 'cache', 'thumbs');
  let bytes = 0;
  const names = new Set<string>();
  for (const sub of existsSync(dir) ? readdirSync(dir) : []) {
    for (const name of readdirSync(join(dir, sub))) {
      bytes += statSync(join(dir, sub, name)).size;
      names.add(name);
    }
  }
  return { bytes, names };
}

const thumbOf = (hash: string) => thumbnailFile(hash).split('/')[1]!;

describe('the thumbnail cache', () => {
  it('stays within its size setting: a scan whose thumbnails are ten times the bound leaves at most the bound, and evicted thumbnails are drawn again', async () => {
    const home = join(t.dir, 'home-bounded');
    const lab = openLab(home, 0.25);
    try {
      const ds = await (await lab.datasets.open(join(t.dir, 'noise'))).scanned;
      expect(ds).toMatchObject({ status: 'ready', imageCount: 150, problems: { unreadable: 0 } });
      const bound = 0.25 * 2 ** 20;
      expect(thumbsOnDisk(home).bytes).toBeLessThanOrEqual(bound);
      expect(thumbsOnDisk(home).names.size).toBeLessThan(150);
      // The first images were evicted first (least recently used); shown again, they are drawn again.
      const { images } = lab.datasetImages.images(ds.id, { offset: 0, limit: 60 });
      const shown = await lab.datasetImages.thumbnails(images.slice(0, 10).map((i) => i.id));
      expect(shown.every((s) => s.dataUrl?.startsWith('data:image/webp;base64,'))).toBe(true);
      expect(thumbsOnDisk(home).bytes).toBeLessThanOrEqual(bound);
    } finally {
      lab.close();
    }
  });

  it('deletes the thumbnails a forgotten dataset alone had, keeps one another dataset shows, and the other still shows its grid', async () => {
    const home = join(t.dir, 'home-forget');
    const lab = openLab(home);
    try {
      const noise = await (await lab.datasets.open(join(t.dir, 'noise'))).scanned;
      const other = await (await lab.datasets.open(join(t.dir, 'other'))).scanned;
      const hashes = (id: number) =>
        lab.db
          .prepare('SELECT hash FROM images WHERE dataset_id = ?')
          .all(id)
          .map((r) => (r as { hash: string }).hash);
      const otherHashes = new Set(hashes(other.id));
      const noiseHashes = hashes(noise.id);
      expect(thumbsOnDisk(home).names.size).toBe(150 + 20);

      expect(await lab.datasets.remove(noise.id)).toBe(true);
      const left = thumbsOnDisk(home).names;
      expect(left.size).toBe(21);
      for (const hash of noiseHashes) expect(left.has(thumbOf(hash)), hash).toBe(otherHashes.has(hash));
      const { images } = lab.datasetImages.images(other.id, { offset: 0, limit: 60 });
      const shown = await lab.datasetImages.thumbnails(images.map((i) => i.id));
      expect(shown.every((s) => s.dataUrl !== null)).toBe(true);
    } finally {
      lab.close();
    }
  });

  it.skipIf(tmpfsUnavailable)(
    `gives its space to the database when the disk fills up: the scan saves, forget and a rescan work${tmpfsUnavailable ? ` (skipped: ${tmpfsUnavailable})` : ''}`,
    async () => {
      const home = join(t.dir, 'home-full');
      mkdirSync(home);
      const disk = mountTmpfs(home, 2);
      const lab = openLab(home);
      try {
        // ~3.5 MB of thumbnails on a 2 MB disk: they fill it, and then the scan's results must still be saved.
        const ds = await (await lab.datasets.open(join(t.dir, 'fills-disk'))).scanned;
        expect(ds).toMatchObject({ status: 'ready', imageCount: 200, problems: { unreadable: 0 } });
        expect(await lab.datasets.rescan(ds.id).scanned).toMatchObject({ status: 'ready', imageCount: 200 });
        expect(await lab.datasets.remove(ds.id)).toBe(true);
        expect(lab.datasets.list()).toEqual([]);
        const again = await (await lab.datasets.open(join(t.dir, 'fills-disk'))).scanned;
        expect(again).toMatchObject({ status: 'ready', imageCount: 200 });
      } finally {
        lab.close();
        disk.unmount();
      }
    },
  );
});
