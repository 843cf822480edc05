import { describe, expect, it } from 'vitest';
import * as store from '../../src/store/datasets';
import { openDatabase } from '../../src/store/db';

const img = (relPath: string, className: string, split: 'train' | 'val' | null = null) => ({
  relPath,
  className,
  split,
  bytes: 10,
  mtimeMs: 1,
});

describe('dataset repository', () => {
  it('opens a root once and returns the same row when opened again', () => {
    const { db } = openDatabase(':memory:');
    const a = store.upsertDataset(db, '/data/pets', 'pets');
    const b = store.upsertDataset(db, '/data/pets', 'pets');
    expect(b.id).toBe(a.id);
    expect(store.listDatasets(db)).toHaveLength(1);
  });

  it('replaces the image list with a finished scan and counts classes per split', () => {
    const { db } = openDatabase(':memory:');
    const { id } = store.upsertDataset(db, '/data/pets', 'pets');
    store.saveScan(db, id, 'imagefolder', [img('x/1.png', 'x')]);
    store.saveScan(db, id, 'imagefolder-split', [
      img('train/cat/1.png', 'cat', 'train'),
      img('val/cat/2.png', 'cat', 'val'),
      img('train/dog/3.png', 'dog', 'train'),
    ]);
    expect(store.classCounts(db, id)).toEqual([
      { name: 'cat', count: 2, train: 1, val: 1 },
      { name: 'dog', count: 1, train: 1, val: 0 },
    ]);
    expect(store.getDataset(db, id)).toMatchObject({ status: 'ready', layout: 'imagefolder-split', error: null });
  });

  it('writes nothing when a scan fails half-way through saving', () => {
    const { db } = openDatabase(':memory:');
    const { id } = store.upsertDataset(db, '/data/pets', 'pets');
    store.saveScan(db, id, 'imagefolder', [img('a/1.png', 'a')]);
    const duplicate = [img('a/2.png', 'a'), img('a/2.png', 'a')];
    expect(() => store.saveScan(db, id, 'imagefolder', duplicate)).toThrow();
    expect(store.classCounts(db, id)).toEqual([{ name: 'a', count: 1, train: 0, val: 0 }]);
  });

  it('removes a dataset together with its images', () => {
    const { db } = openDatabase(':memory:');
    const { id } = store.upsertDataset(db, '/d', 'd');
    store.saveScan(db, id, 'imagefolder', [img('a/1.png', 'a')]);
    expect(store.deleteDataset(db, id)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM images').get()).toEqual({ n: 0 });
  });
});
