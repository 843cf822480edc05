import { describe, expect, it } from 'vitest';
import * as datasets from '../../src/store/datasets';
import { openDatabase, type Db } from '../../src/store/db';
import { datasetFingerprint, forgetDataset, forgottenAt, reattach } from '../../src/store/forgotten-datasets';
import { insertRun } from '../../src/store/runs';
import { frozenRunConfig } from '../helpers/frozen-config';

/** A scanned dataset at `root` whose readable images are [relPath, class, split, hash]. */
function scanned(db: Db, root: string, images: [string, string, 'train' | 'val', string][]): number {
  const { id } = datasets.upsertDataset(db, root, root.split('/').at(-1)!);
  datasets.saveScan(
    db,
    id,
    'imagefolder',
    images.map(([relPath, className, split, hash]) => ({ relPath, className, split, bytes: 1, mtimeMs: 1, status: 'ok', hash })),
  );
  return id;
}

const images: [string, string, 'train' | 'val', string][] = [
  ['cat/1.png', 'cat', 'train', 'h1'],
  ['cat/2.png', 'cat', 'val', 'h2'],
  ['dog/3.png', 'dog', 'train', 'h3'],
];

const newRun = (db: Db, datasetId: number) =>
  insertRun(db, {
    kind: 'train',
    name: 'r',
    parentId: null,
    datasetId,
    config: frozenRunConfig({ datasetId }),
    checkpointDir: (id) => `/runs/${id}`,
  });

describe('forgotten datasets', () => {
  it('fingerprints the classes, splits and contents of the readable images, not their paths', () => {
    const { db } = openDatabase(':memory:');
    const base = datasetFingerprint(db, scanned(db, '/a', images));
    expect(base.images).toBe(3);
    const renamed = images.map(([p, c, s, h]) => [`x-${p}`, c, s, h] as (typeof images)[number]);
    expect(datasetFingerprint(db, scanned(db, '/b', renamed)).fingerprint).toBe(base.fingerprint);
    for (const [i, change] of [
      [1, 'dog'],
      [2, 'val'],
      [3, 'h9'],
    ] as const) {
      const other = images.map((img, k) => (k === 0 ? (Object.assign([...img], { [i]: change }) as typeof img) : img));
      expect(datasetFingerprint(db, scanned(db, `/c${i}`, other)).fingerprint, `column ${i}`).not.toBe(base.fingerprint);
    }
  });

  it('remembers a forgotten dataset only when runs use it, and reattaches those runs to a new dataset', () => {
    const { db } = openDatabase(':memory:');
    const unused = scanned(db, '/unused', images);
    expect(forgetDataset(db, unused)).toBe(true);
    expect(forgottenAt(db, '/unused', null)).toEqual([]);

    const id = scanned(db, '/pets', images);
    datasets.setSplitSettings(db, id, 0.3, 7);
    const run = newRun(db, id);
    expect(forgetDataset(db, id)).toBe(true);
    expect(datasets.getDataset(db, id)).toBeUndefined();
    const [forgotten] = forgottenAt(db, '/pets', null);
    expect(forgotten).toMatchObject({ name: 'pets', val_fraction: 0.3, split_seed: 7, images: 3 });
    expect(db.prepare('SELECT dataset_id, forgotten_dataset_id FROM runs WHERE id = ?').get(run.id)).toEqual({
      dataset_id: null,
      forgotten_dataset_id: forgotten!.id,
    });

    const again = scanned(db, '/pets', images);
    expect(reattach(db, forgotten!.id, again)).toEqual({ runIds: [run.id], workflowIds: [] });
    expect(db.prepare('SELECT dataset_id, forgotten_dataset_id FROM runs WHERE id = ?').get(run.id)).toEqual({
      dataset_id: again,
      forgotten_dataset_id: null,
    });
    expect(forgottenAt(db, '/pets', null)).toEqual([]);
  });
});
