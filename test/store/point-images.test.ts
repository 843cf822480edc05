import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db';
import { listPointImages, packBits, savePointImages, unpackBits } from '../../src/store/point-images';
import { deleteRun, insertRun } from '../../src/store/runs';
import { frozenRunConfig } from '../helpers/frozen-config';

function dbWithRun() {
  const { db } = openDatabase(':memory:');
  insertRun(db, { kind: 'train', name: 'r', parentId: null, datasetId: null, config: frozenRunConfig(), checkpointDir: (id) => `/tmp/${id}` });
  return db;
}

const images = (n: number, every: number) => Uint8Array.from({ length: n }, (_, i) => (i % every === 0 ? 1 : 0));

describe('per-image sweep results (migration 008)', () => {
  it('stores which images a point got right and the selection half, bit-packed, and replaces them on re-evaluation', () => {
    const db = dbWithRun();
    const first = {
      runId: 1,
      kTest: 24,
      adapter: 'none' as const,
      imagesKey: '11:ab',
      correct: images(11, 2),
      selection: images(11, 3),
    };
    savePointImages(db, first);
    savePointImages(db, { ...first, kTest: 32, adapter: 'frechet' });
    expect(listPointImages(db, 1)).toEqual([{ ...first, kTest: 32, adapter: 'frechet' }, first]);
    savePointImages(db, { ...first, correct: images(11, 5) });
    expect(listPointImages(db, 1).find((p) => p.adapter === 'none')!.correct).toEqual(images(11, 5));
    const bytes = db.prepare('SELECT length(correct) AS b FROM sweep_point_images LIMIT 1').get() as { b: number };
    expect(bytes.b).toBe(2);
  });

  it('packs flags into bits and back, for any length', () => {
    for (const n of [0, 1, 7, 8, 9, 3000]) {
      const flags = Uint8Array.from({ length: n }, (_, i) => ((i * 7919) % 3 === 0 ? 1 : 0));
      const bits = packBits(flags);
      expect(bits.length).toBe(Math.ceil(n / 8));
      expect(unpackBits(bits, n)).toEqual(flags);
    }
    expect(() => unpackBits(new Uint8Array(1), 9)).toThrow(/fewer than 9/);
  });

  it('goes with its run', () => {
    const db = dbWithRun();
    savePointImages(db, { runId: 1, kTest: 24, adapter: 'none', imagesKey: 'k', correct: images(3, 1), selection: images(3, 2) });
    deleteRun(db, 1);
    expect(listPointImages(db, 1)).toEqual([]);
  });

  it('refuses correctness and selection of different lengths', () => {
    const db = dbWithRun();
    expect(() =>
      savePointImages(db, {
        runId: 1,
        kTest: 24,
        adapter: 'none',
        imagesKey: 'k',
        correct: images(3, 1),
        selection: images(4, 2),
      }),
    ).toThrow(/same images/);
  });
});
