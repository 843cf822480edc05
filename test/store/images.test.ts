import { describe, expect, it } from 'vitest';
import * as datasets from '../../src/store/datasets';
import { openDatabase } from '../../src/store/db';
import { imageSizes, listImages, storedInspections, usableImages, type ImageRecord } from '../../src/store/images';
import { channelStatistics, duplicateGroups, tinyImages } from '../../src/store/inspection';

const ok = (
  relPath: string,
  className: string,
  split: 'train' | 'val',
  width: number,
  height: number,
  hash = relPath,
): ImageRecord => ({
  relPath,
  className,
  split,
  bytes: 100,
  mtimeMs: 1,
  status: 'ok',
  error: null,
  width,
  height,
  format: 'png',
  hash,
  channelMean: [0.5, 0.25, 0],
  channelMeanSquare: [0.3, 0.0625, 0],
});

function fresh() {
  const { db } = openDatabase(':memory:');
  const { id } = datasets.upsertDataset(db, '/d', 'd');
  return { db, id };
}

describe('image repository', () => {
  it('groups usable image sizes per split for apparent-size analyses', () => {
    const { db, id } = fresh();
    datasets.saveScan(db, id, 'imagefolder-split', [
      ok('a.png', 'x', 'train', 500, 375),
      ok('b.png', 'x', 'train', 500, 375),
      ok('c.png', 'y', 'val', 375, 500),
      { relPath: 'd.png', className: 'y', split: 'train', bytes: 1, mtimeMs: 1, status: 'unreadable', error: 'bad' },
    ]);
    expect(imageSizes(db, id)).toEqual([
      { width: 500, height: 375, count: 2 },
      { width: 375, height: 500, count: 1 },
    ]);
    expect(imageSizes(db, id, 'val')).toEqual([{ width: 375, height: 500, count: 1 }]);
    expect(usableImages(db, id, 'train').map((i) => i.relPath)).toEqual(['a.png', 'b.png']);
  });

  it('keeps ids and updates rows in place on a new scan, dropping vanished files', () => {
    const { db, id } = fresh();
    datasets.saveScan(db, id, 'imagefolder', [ok('a.png', 'x', 'train', 10, 10), ok('b.png', 'x', 'train', 10, 10)]);
    const before = listImages(db, id, { offset: 0, limit: 10 }).rows;
    datasets.saveScan(db, id, 'imagefolder', [ok('b.png', 'z', 'val', 20, 30), ok('c.png', 'x', 'train', 10, 10)]);
    const after = listImages(db, id, { offset: 0, limit: 10 }).rows;
    expect(after.map((r) => [r.rel_path, r.class_name, r.width])).toEqual([
      ['c.png', 'x', 10],
      ['b.png', 'z', 20],
    ]);
    expect(after.find((r) => r.rel_path === 'b.png')!.id).toBe(before.find((r) => r.rel_path === 'b.png')!.id);
    expect(storedInspections(db, id).get('b.png')).toMatchObject({ width: 20, height: 30, channelMean: [0.5, 0.25, 0] });
  });

  it('lists duplicates, tiny images and channel statistics', () => {
    const { db, id } = fresh();
    datasets.saveScan(db, id, 'imagefolder-split', [
      ok('a.png', 'x', 'train', 10, 40, 'h1'),
      ok('b.png', 'x', 'train', 40, 40, 'h1'),
      ok('c.png', 'x', 'train', 40, 40, 'h2'),
      ok('d.png', 'y', 'val', 40, 40, 'h2'),
    ]);
    const dups = duplicateGroups(db, id, 10);
    expect([dups.total, dups.leaking]).toEqual([2, 1]);
    expect(dups.items[0]).toMatchObject({ hash: 'h2', crossClass: true, crossSplit: true });
    expect(tinyImages(db, id, 10, 32)).toMatchObject({ total: 1, items: [{ relPath: 'a.png', width: 10 }] });
    expect(tinyImages(db, id, 10, 41).total).toBe(4);
    const stats = channelStatistics(db, id)!;
    expect(stats.mean).toEqual([0.5, 0.25, 0]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(0.05), 9);
    expect(stats.std[1]).toBeCloseTo(0, 5);
  });
});
