import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import { migrations } from '../../src/store/migrations';
import * as datasets from '../../src/store/datasets';
import * as models from '../../src/store/models';
import * as runs from '../../src/store/runs';
import { frozenRunConfig } from '../helpers/frozen-config';

const newModel = (name = 'r50'): models.NewModel => ({
  name,
  arch: 'resnet50',
  width: 1,
  blocks: null,
  numClasses: 10,
  classNames: ['a', 'b'],
  preprocessing: { inputSize: 224 },
  file: '/w/r50.pth',
  sha256: 'ab'.repeat(32),
  format: 'torch-zip',
  bytes: 102_000_000,
  weightsAt: 'model',
  strippedPrefix: 'module.',
  params: 25_557_032,
  importSeconds: 2.5,
  checkpointDir: (id) => `/home/models/${id}`,
});

describe('models repository and migration 7', () => {
  it('keeps every run, epoch and sweep point of an earlier database and then accepts import runs', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const before = migrations.filter((m) => m.version < 7);
    migrate(db, before);
    const dataset = datasets.upsertDataset(db, '/data/pets', 'pets');
    const parent = runs.insertRun(db, {
      kind: 'train',
      name: 't',
      parentId: null,
      datasetId: dataset.id,
      config: frozenRunConfig({ datasetId: 1 }),
      checkpointDir: (id) => `/r/${id}`,
    });
    const child = runs.insertRun(db, {
      kind: 'finetune',
      name: 'f',
      parentId: parent.id,
      datasetId: dataset.id,
      config: frozenRunConfig({ datasetId: 1 }),
      checkpointDir: (id) => `/r/${id}`,
    });
    runs.saveEpoch(db, parent.id, [
      { epoch: 0, phase: 'train', loss: 1, acc: 0.5, top5: null, lr: 0.1, img_per_sec: 9, seconds: 1 },
    ]);
    db.prepare(
      `INSERT INTO sweep_points (run_id, k_test, adapter, top1, top5, loss, n) VALUES (?, 32, 'none', 0.5, 1, 1, 10)`,
    ).run(parent.id);
    expect(() =>
      runs.insertRun(db, {
        kind: 'import' as 'train',
        name: 'i',
        parentId: null,
        datasetId: null,
        config: frozenRunConfig({ datasetId: 1 }),
        checkpointDir: () => '/x',
      }),
    ).toThrow(/CHECK constraint/);

    migrate(db, migrations);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(runs.listRuns(db).map((r) => [r.id, r.kind, r.parent_id])).toEqual([
      [child.id, 'finetune', parent.id],
      [parent.id, 'train', null],
    ]);
    expect(runs.listEpochs(db, parent.id)).toHaveLength(1);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sweep_points').get()).toEqual({ n: 1 });
    const model = models.insertModel(db, newModel());
    const imported = runs.insertRun(db, {
      kind: 'import',
      name: 'i',
      parentId: null,
      datasetId: dataset.id,
      config: frozenRunConfig({ datasetId: 1 }),
      checkpointDir: (id) => `/r/${id}`,
    });
    models.setRunModel(db, imported.id, model.id);
    expect(models.modelOfRun(db, imported.id)).toBe(model.id);
    // Removing a model keeps the runs made from it (they own their checkpoints).
    models.deleteModel(db, model.id);
    expect(models.modelOfRun(db, imported.id)).toBeNull();
    expect(runs.getRun(db, imported.id)?.kind).toBe('import');
    // Deleting a run still cascades to its epochs: the foreign keys survived the rebuild.
    runs.deleteRun(db, parent.id);
    expect(runs.listEpochs(db, parent.id)).toHaveLength(0);
    expect(runs.getRun(db, child.id)?.parent_id).toBeNull();
  });

  it('stores an imported model with its provenance and never gives its id out again', () => {
    const { db } = openDatabase(':memory:');
    const first = models.insertModel(db, newModel('first'));
    expect(first).toMatchObject({
      name: 'first',
      checkpoint_dir: `/home/models/${first.id}`,
      format: 'torch-zip',
      weights_at: 'model',
    });
    expect(JSON.parse(first.class_names!)).toEqual(['a', 'b']);
    expect(JSON.parse(first.preprocessing)).toEqual({ inputSize: 224 });
    expect(models.deleteModel(db, first.id)).toBe(true);
    const second = models.insertModel(db, newModel('second'));
    expect(second.id).toBeGreaterThan(first.id);
    expect(models.listModels(db).map((m) => m.name)).toEqual(['second']);
  });
});
