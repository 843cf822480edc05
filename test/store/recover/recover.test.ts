import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { upsertDataset } from '../../../src/store/datasets';
import { openDatabase, type Db } from '../../../src/store/db';
import { replaceImages } from '../../../src/store/images';
import { databaseId } from '../../../src/store/lasting-ids';
import { migrations } from '../../../src/store/migrations/index';
import { recoverDatabase } from '../../../src/store/recover/index';
import { deleteRun, insertRun, listEpochs, listRuns, saveEpoch } from '../../../src/store/runs';
import { insertWorkflow } from '../../../src/store/workflows';
import { WORKFLOW_STEPS, WorkflowRequest } from '../../../src/shared/api/workflows';
import { tempDir } from '../../helpers/fixtures';
import { frozenRunConfig } from '../../helpers/frozen-config';

const LATEST_SCHEMA = migrations.at(-1)!.version;

const t = tempDir('fixres-recover-');
afterAll(() => t.cleanup());
const restoreEnv = process.env.FIXRES_SQLITE3;
afterEach(() => {
  if (restoreEnv === undefined) delete process.env.FIXRES_SQLITE3;
  else process.env.FIXRES_SQLITE3 = restoreEnv;
});
let n = 0;
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const PAGE = 4096;

/** A lab database with a dataset of 2000 images, 60 runs with 2 epochs each (run 60 deleted) and a workflow. */
function labDatabase(): { file: string; id: string } {
  const file = join(t.dir, `lab-${++n}.sqlite`);
  const { db } = openDatabase(file);
  const ds = upsertDataset(db, '/data/x', 'x');
  const images = Array.from({ length: 2000 }, (_, i) => ({
    relPath: `c${i % 4}/img-${i}-${'p'.repeat(40)}.png`,
    className: `c${i % 4}`,
    split: 'train' as const,
    bytes: 100,
    mtimeMs: 1,
  }));
  db.transaction(() => replaceImages(db, ds.id, images))();
  for (let r = 1; r <= 60; r++) {
    const run = insertRun(db, {
      kind: 'train',
      name: `run ${r}`,
      parentId: null,
      datasetId: ds.id,
      config: frozenRunConfig(),
      checkpointDir: (id) => `/runs/${id}`,
    });
    for (const epoch of [0, 1])
      saveEpoch(db, run.id, [{ epoch, phase: 'train', loss: 1, acc: 0.5, top5: null, lr: 0.1, img_per_sec: 1, seconds: 1 }]);
  }
  deleteRun(db, 60);
  const config = WorkflowRequest.parse({ datasetId: ds.id });
  const wf = insertWorkflow(db, { name: 'w', datasetId: ds.id, config, steps: WORKFLOW_STEPS });
  db.prepare(`UPDATE workflow_steps SET run_id = 30 WHERE workflow_id = ? AND step = 'train'`).run(wf.id);
  const id = databaseId(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { file, id };
}

/** Overwrites one page of `table` (a leaf unless asked otherwise); returns how many rows it held. */
function damagePage(
  file: string,
  table: string,
  pick: (pages: { pageno: number; ncell: number }[]) => { pageno: number; ncell: number },
  type = 'leaf',
): number {
  const db = new Database(file, { readonly: true });
  const pages = db
    .prepare(`SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno`)
    .all(table, type) as { pageno: number; ncell: number }[];
  db.close();
  const page = pick(pages);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(PAGE, 0x41), 0, PAGE, PAGE * (page.pageno - 1));
  closeSync(fd);
  return page.ncell;
}

const count = (db: Db, table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe('recovering a damaged database row by row', () => {
  it('copies every readable row, losing only those on the damaged page, and keeps ids, counters and identity', async () => {
    const { file, id } = labDatabase();
    const lost = damagePage(file, 'images', (pages) => pages[10]!);
    const before = sha(file);
    const target = `${file}.recovered`;
    const report = await recoverDatabase(file, target, { rowByRow: true });
    expect(sha(file)).toBe(before);
    expect(report).toMatchObject({
      method: 'row by row',
      schemaVersion: LATEST_SCHEMA,
      repairs: [],
      newIdentity: false,
      lostAndFound: 0,
    });
    expect(report.tables.find((r) => r.table === 'images')).toEqual({ table: 'images', rows: 2000 - lost, damagedPlaces: 1 });
    expect(report.tables.find((r) => r.table === 'runs')).toEqual({ table: 'runs', rows: 59, damagedPlaces: 0 });
    const { db } = openDatabase(target);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(count(db, 'images')).toBe(2000 - lost);
    expect(count(db, 'epochs')).toBe(118);
    expect(databaseId(db)).toBe(id);
    // Run 60 was deleted before the damage: its id stays used.
    expect(
      insertRun(db, {
        kind: 'train',
        name: 'n',
        parentId: null,
        datasetId: 1,
        config: frozenRunConfig(),
        checkpointDir: () => '/x',
      }).id,
    ).toBe(61);
    db.close();
  });

  it('goes on past a damaged first page', async () => {
    const { file } = labDatabase();
    const lost = damagePage(file, 'images', (pages) => pages[0]!);
    const report = await recoverDatabase(file, `${file}.recovered`, { rowByRow: true });
    expect(report.tables.find((r) => r.table === 'images')).toEqual({ table: 'images', rows: 2000 - lost, damagedPlaces: 1 });
  });

  it('settles references to lost rows as deleting them would: their epochs go, a workflow step forgets its run', async () => {
    const { file } = labDatabase();
    const lost = damagePage(file, 'runs', (pages) => pages.find((p) => p.ncell > 0 && pages.indexOf(p) > 0)!);
    const target = `${file}.recovered`;
    const report = await recoverDatabase(file, target, { rowByRow: true });
    const { db } = openDatabase(target);
    const runs = listRuns(db).map((r) => r.id);
    expect(runs).toHaveLength(59 - lost);
    expect(count(db, 'epochs')).toBe(2 * runs.length);
    expect(report.repairs).toContainEqual({ table: 'epochs', column: 'run_id', parent: 'runs', removed: 2 * lost, cleared: 0 });
    const train = db.prepare(`SELECT run_id FROM workflow_steps WHERE step = 'train'`).pluck().get();
    expect(train).toBe(runs.includes(30) ? 30 : null);
    expect(listEpochs(db, runs[0]!)).toHaveLength(2);
    db.close();
  });

  it('says nothing can be read when the file’s header is destroyed, and writes nothing', async () => {
    const { file } = labDatabase();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(100, 0), 0, 100, 0);
    closeSync(fd);
    const target = `${file}.recovered`;
    await expect(recoverDatabase(file, target, { rowByRow: true })).rejects.toThrow(
      /Nothing can be read from .* its header or its list of tables is damaged .* Restore it from a backup/,
    );
    expect(existsSync(target)).toBe(false);
  });

  it('falls back to row by row, saying why, when the installed sqlite3 cannot .recover', async () => {
    const probe = spawnSync('sqlite3', [':memory:', '.recover'], { encoding: 'utf8' });
    if (probe.error || (probe.status === 0 && /BEGIN/.test(probe.stdout))) {
      console.log('skipped: this machine has no sqlite3 tool, or one whose .recover works (Debian 12’s does not)');
      return;
    }
    const { file } = labDatabase();
    damagePage(file, 'images', (pages) => pages[3]!);
    const report = await recoverDatabase(file, `${file}.recovered`);
    expect(report).toMatchObject({ method: 'row by row', fallbackReason: 'no sqlite3 tool with .recover is installed' });
  });

  it('uses sqlite3 .recover where installed: its output fills the new database, which is settled and checked', async () => {
    if (spawnSync('sqlite3', ['-version']).error) {
      console.log('skipped: no sqlite3 command line tool (apt-get install sqlite3)');
      return;
    }
    process.env.FIXRES_SQLITE3 = join(__dirname, '../../fixtures/bin/sqlite3-dump-as-recover');
    const { file, id } = labDatabase();
    const target = `${file}.recovered`;
    const report = await recoverDatabase(file, target);
    expect(report).toMatchObject({
      method: 'sqlite3 .recover',
      fallbackReason: null,
      schemaVersion: LATEST_SCHEMA,
      newIdentity: false,
    });
    expect(report.tables).toContainEqual({ table: 'images', rows: 2000, damagedPlaces: null });
    const { db } = openDatabase(target);
    expect(databaseId(db)).toBe(id);
    expect(count(db, 'epochs')).toBe(118);
    db.close();
  });
});
