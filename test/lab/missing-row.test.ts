import { describe, expect, it } from 'vitest';
import { missingRow } from '../../src/lab/missing-row';
import { deleteDataset, upsertDataset } from '../../src/store/datasets';
import { openDatabase } from '../../src/store/db';
import { deleteRun, insertRun } from '../../src/store/runs';
import { frozenRunConfig } from '../helpers/frozen-config';

describe('references to rows that are gone', () => {
  it('say a deleted run or dataset was deleted, and an id never given out is unknown, by name and message, naming the field', () => {
    const { db } = openDatabase(':memory:');
    const run = insertRun(db, {
      kind: 'train',
      name: 'r',
      parentId: null,
      datasetId: null,
      config: frozenRunConfig(),
      checkpointDir: () => '/x',
    });
    deleteRun(db, run.id);
    const pets = upsertDataset(db, '/data/pets', 'pets');
    deleteDataset(db, pets.id);
    expect(missingRow(db, 'run', run.id, 'id')).toMatchObject({
      name: 'RowDeleted',
      code: 'NotFound',
      message: `Run #${run.id} was deleted`,
      field: 'id',
    });
    expect(missingRow(db, 'run', run.id + 1)).toMatchObject({
      name: 'NoSuchRow',
      code: 'NotFound',
      message: `No run with id ${run.id + 1}`,
    });
    expect(missingRow(db, 'dataset', pets.id).message).toBe(`Dataset #${pets.id} was deleted`);
    expect(missingRow(db, 'workflow', 3).message).toBe('No workflow with id 3');
    expect(missingRow(db, 'model', 2, 'model')).toMatchObject({ name: 'NoSuchRow', code: 'NotFound', field: 'model' });
  });
});
