import { describe, expect, it } from 'vitest';
import { deleteDataset, upsertDataset } from '../../src/store/datasets';
import { openDatabase } from '../../src/store/db';
import { databaseId, wasDeleted } from '../../src/store/lasting-ids';
import { deleteRun, insertRun } from '../../src/store/runs';
import { frozenRunConfig } from '../helpers/frozen-config';

const newRun = (db: ReturnType<typeof openDatabase>['db']) =>
  insertRun(db, {
    kind: 'train',
    name: 'r',
    parentId: null,
    datasetId: null,
    config: frozenRunConfig(),
    checkpointDir: (id) => `/runs/${id}`,
  });

describe('lasting ids', () => {
  it('never gives a deleted run’s or dataset’s id to a new one, even the last one’s', () => {
    const { db } = openDatabase(':memory:');
    const runs = [newRun(db), newRun(db), newRun(db)].map((r) => r.id);
    deleteRun(db, runs[2]!);
    expect(newRun(db).id).toBe(runs[2]! + 1);
    const pets = upsertDataset(db, '/data/pets', 'pets');
    deleteDataset(db, pets.id);
    expect(upsertDataset(db, '/data/pets', 'pets').id).toBe(pets.id + 1);
  });

  it('tells a deleted id from one never given out', () => {
    const { db } = openDatabase(':memory:');
    const [a, b] = [newRun(db), newRun(db)];
    deleteRun(db, a.id);
    expect(wasDeleted(db, 'runs', a.id)).toBe(true);
    expect(wasDeleted(db, 'runs', b.id)).toBe(false);
    expect(wasDeleted(db, 'runs', b.id + 1)).toBe(false);
    expect(wasDeleted(db, 'workflows', 1)).toBe(false);
  });

  it('gives every database its own identity, the same every time it is opened', () => {
    const one = openDatabase(':memory:').db;
    const two = openDatabase(':memory:').db;
    expect(databaseId(one)).toMatch(/^[0-9a-f]{32}$/);
    expect(databaseId(one)).not.toBe(databaseId(two));
    expect(databaseId(one)).toBe(databaseId(one));
  });
});
