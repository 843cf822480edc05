import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { IMAGENET_NORMALIZE } from '../../src/shared/jobs/data-spec';
import { listActivationStats } from '../../src/store/analysis';
import { listDatasets, upsertDataset } from '../../src/store/datasets';
import { openDatabase, type Db } from '../../src/store/db';
import { runConfigDocument } from '../../src/store/documents/run-config';
import { databaseId } from '../../src/store/lasting-ids';
import { migrations } from '../../src/store/migrations/index';
import { getRun, insertRun, listEpochs, listRuns } from '../../src/store/runs';
import { getSweep, insertSweep } from '../../src/store/sweeps';
import { getWorkflow, insertWorkflow, listWorkflowSteps } from '../../src/store/workflows';
import { WORKFLOW_STEPS } from '../../src/shared/api/workflows';
import { tempDir } from '../helpers/fixtures';
import { frozenRunConfig } from '../helpers/frozen-config';
import { SCHEMA, workflowConfigV1, writeOldDatabase } from '../helpers/old-databases';

const t = tempDir('fixres-old-db-');
afterAll(() => t.cleanup());
const latest = migrations.at(-1)!.version;

function openOld(version: number): Db {
  const file = join(t.dir, `v${version}-${Math.random().toString(36).slice(2)}.sqlite`);
  writeOldDatabase(file, version, '/data/pets');
  return openDatabase(file).db;
}

const schemaOf = (db: Db) =>
  db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name != 'sqlite_sequence' ORDER BY type, name`).all();

describe('databases written by every earlier schema version', () => {
  const fresh = openDatabase(':memory:').db;

  for (const version of migrations.map((m) => m.version).filter((v) => v < latest)) {
    it(`migrates a schema ${version} database to the latest schema, table for table as a new one, keeping every row and id`, () => {
      const db = openOld(version);
      expect(db.pragma('user_version', { simple: true })).toBe(latest);
      expect(schemaOf(db)).toEqual(schemaOf(fresh));
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(databaseId(db)).toMatch(/^[0-9a-f]{32}$/);
      expect(listDatasets(db).map((d) => d.id)).toEqual([1]);
      expect(db.prepare(`SELECT COUNT(*) AS n FROM images WHERE dataset_id = 1`).get()).toEqual({ n: 6 });
      if (version >= SCHEMA.runs) {
        expect(listRuns(db).map((r) => r.id)).toEqual(version >= SCHEMA.workflows ? [5, 3, 1] : [3, 1]);
        expect(getRun(db, 3)).toMatchObject({ parent_id: 1, dataset_id: 1, config: { parentRunId: 1, kTest: 28 } });
        expect(listEpochs(db, 1).map((e) => e.acc)).toEqual([0.5, 0.6]);
      }
      db.close();
    });

    it(`gives a schema ${version} database's next rows new ids, above every id its rows and documents used`, () => {
      const db = openOld(version);
      expect(upsertDataset(db, '/data/new', 'new').id).toBe(version >= SCHEMA.workflows ? 3 : 2);
      if (version >= SCHEMA.runs) {
        // Run 7 lives on only in schema 5's workflow documents (it was deleted); run 5 is the last row there.
        const next = insertRun(db, {
          kind: 'train',
          name: 'n',
          parentId: null,
          datasetId: 1,
          config: frozenRunConfig(),
          checkpointDir: () => '/x',
        });
        expect(next.id).toBe(version >= SCHEMA.workflows ? 8 : 4);
      }
      if (version >= SCHEMA.workflows) {
        const settings = getSweep(db, 1)!.settings;
        expect(insertSweep(db, { runId: 1, adapter: 'none', settings }).id).toBe(3);
        const config = getWorkflow(db, 2)!.config;
        expect(insertWorkflow(db, { name: 'w', datasetId: 1, config, steps: WORKFLOW_STEPS }).id).toBe(3);
      }
      db.close();
    });
  }

  it('reads schema 3 run configurations (a valFraction hold-out) as ImageNet-normalised runs without the decode cache', () => {
    const db = openOld(SCHEMA.runs);
    const { config } = getRun(db, 1)!;
    expect(config).not.toHaveProperty('valFraction');
    expect(config).toMatchObject({
      normalize: 'imagenet',
      normalizeValues: IMAGENET_NORMALIZE,
      decodeCache: false,
      kTrain: 24,
      seed: 7,
    });
    db.close();
  });

  it('reads schema 4 run configurations with their own normalisation, without the decode cache', () => {
    const db = openOld(SCHEMA.analysis);
    expect(getRun(db, 1)!.config).toMatchObject({
      normalize: 'dataset',
      normalizeValues: { mean: [0.5, 0.4, 0.3] },
      decodeCache: false,
    });
    expect(listActivationStats(db, 1)).toMatchObject([
      { kTest: 24, summary: { n: 10, zeros: 4, histogram: { accuracy: 0.01 } } },
    ]);
    db.close();
  });

  it('reads schema 5 runs, sweeps and workflows, upgrading each document that an older version wrote', () => {
    const db = openOld(SCHEMA.workflows);
    expect(getRun(db, 1)!.config.decodeCache).toBe(true);
    expect(getRun(db, 5)!.config.decodeCache).toBe(false);
    expect(getSweep(db, 1)).toMatchObject({
      settings: { kTests: [16, 24, 28] },
      reference: { source: 'train-augment', summary: { n: 10 } },
    });
    expect(getWorkflow(db, 2)).toMatchObject({ config: workflowConfigV1, summary: { trainRunId: 1, finetuneRunId: 7 } });
    const outputs = Object.fromEntries(listWorkflowSteps(db, 2).map((s) => [s.step, s.output]));
    expect(outputs.analyze).toMatchObject({ kTestStar: 28, kTestStarExact: null, multiple: null });
    expect(outputs.adapt).toEqual({ skipped: true });
    expect(outputs.finetune).toEqual({ runId: 7, kTrain: 28, lastAcc: 0.7 });
    db.close();
  });

  it('stores documents with their version, so they are read without guessing', () => {
    const db = openOld(SCHEMA.workflows);
    const run = insertRun(db, {
      kind: 'train',
      name: 'n',
      parentId: null,
      datasetId: 1,
      config: frozenRunConfig(),
      checkpointDir: () => '/x',
    });
    const raw = new Database(db.name, { readonly: true });
    const stored = raw.prepare(`SELECT config FROM runs WHERE id = ?`).get(run.id) as { config: string };
    raw.close();
    expect(JSON.parse(stored.config)).toMatchObject({ $v: runConfigDocument.version, kTrain: 32 });
    expect(getRun(db, run.id)!.config).toEqual(frozenRunConfig());
    db.close();
  });
});
