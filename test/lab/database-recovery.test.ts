import { closeSync, existsSync, mkdirSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { recoverLabDatabase } from '../../src/lab/database-recovery';
import { upsertDataset } from '../../src/store/datasets';
import { openDatabase } from '../../src/store/db';
import { migrations } from '../../src/store/migrations/index';
import { tempDir } from '../helpers/fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A data folder whose lab.sqlite holds 300 datasets, one of its table pages damaged unless `healthy`. */
function dataFolder(healthy = false): string {
  const t = tempDir('fixres-db-recover-');
  cleanups.push(t.cleanup);
  const file = join(t.dir, 'lab.sqlite');
  const { db } = openDatabase(file);
  for (let i = 0; i < 300; i++) upsertDataset(db, `/data/set-${i}-${'x'.repeat(200)}`, `set ${i}`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const page = (
    db
      .prepare(`SELECT pageno FROM dbstat WHERE name = 'datasets' AND pagetype = 'leaf' ORDER BY pageno`)
      .pluck()
      .all() as number[]
  )[3]!;
  db.close();
  if (!healthy) {
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x41), 0, 4096, 4096 * (page - 1));
    closeSync(fd);
  }
  return t.dir;
}

describe('fixres db recover', () => {
  it('puts the recovered database in place of the damaged one, which is kept beside it', async () => {
    const dir = dataFolder();
    const result = await recoverLabDatabase(dir, { rowByRow: true });
    expect(result.database).toBe(join(dir, 'lab.sqlite'));
    expect(result.damagedKeptAs).toMatch(/lab\.sqlite\.damaged-\d{4}-\d\d-\d\dT/);
    expect(existsSync(result.damagedKeptAs)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('lab.recovered'))).toEqual([]);
    const { db } = openDatabase(join(dir, 'lab.sqlite'));
    const saved = result.tables.find((t) => t.table === 'datasets')!;
    expect(saved.damagedPlaces).toBe(1);
    expect(db.prepare(`SELECT COUNT(*) FROM datasets`).pluck().get()).toBe(saved.rows);
    expect(saved.rows).toBeLessThan(300);
    db.close();
  });

  it('leaves a database that is not damaged alone unless forced', async () => {
    const dir = dataFolder(true);
    await expect(recoverLabDatabase(dir)).rejects.toThrow(/is not damaged .* nothing to recover\. Use --force/);
    expect(readdirSync(dir).filter((f) => f.includes('damaged'))).toEqual([]);
    const forced = await recoverLabDatabase(dir, { force: true, rowByRow: true });
    expect(forced.tables.find((t) => t.table === 'datasets')).toEqual({ table: 'datasets', rows: 300, damagedPlaces: 0 });
  });

  it('refuses while another FixRes Lab process has the data folder open, and says why', async () => {
    const dir = dataFolder();
    mkdirSync(join(dir, 'open-labs'), { recursive: true });
    writeFileSync(join(dir, 'open-labs', String(process.ppid)), '');
    await expect(recoverLabDatabase(dir)).rejects.toThrow(/Another FixRes Lab process has .* open .* close it first/);
    const untouched = new Database(join(dir, 'lab.sqlite'), { readonly: true });
    expect(untouched.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    untouched.close();
  });

  it('says so when there is no database to recover', async () => {
    const t = tempDir('fixres-db-recover-');
    cleanups.push(t.cleanup);
    await expect(recoverLabDatabase(t.dir)).rejects.toThrow(/There is no database at .*lab\.sqlite: nothing to recover/);
  });
});
