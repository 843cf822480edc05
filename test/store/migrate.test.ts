import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db';
import { migrate, type Migration } from '../../src/store/migrate';
import { migrations } from '../../src/store/migrations';
import { tempDir } from '../helpers/fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('database migrations', () => {
  it('migrates a new database to the latest version with WAL and foreign keys on', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { db, migrated } = openDatabase(join(t.dir, 'lab.sqlite'));
    expect(migrated.map((m) => m.version)).toEqual(migrations.map((m) => m.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    db.close();
    const again = openDatabase(join(t.dir, 'lab.sqlite'));
    expect(again.migrated).toEqual([]);
    again.db.close();
  });

  it('applies only the migrations a database has not seen', () => {
    const db = new Database(':memory:');
    const log: number[] = [];
    const list: Migration[] = [1, 2, 3].map((v) => ({ version: v, name: `m${v}`, up: () => log.push(v) }));
    migrate(db, list.slice(0, 1));
    expect(migrate(db, list).map((r) => r.version)).toEqual([2, 3]);
    expect(log).toEqual([1, 2, 3]);
  });

  it('rolls a failing migration back and leaves the version where it was', () => {
    const db = new Database(':memory:');
    const list: Migration[] = [
      { version: 1, name: 'ok', up: (d) => d.exec('CREATE TABLE a (x)') },
      {
        version: 2,
        name: 'broken',
        up: (d) => {
          d.exec('CREATE TABLE b (x)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, list)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'b'`).get()).toBeUndefined();
  });

  it('refuses a database written by a newer version without touching it', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'lab.sqlite');
    const future = new Database(file);
    future.pragma('user_version = 999');
    future.exec('CREATE TABLE from_the_future (x)');
    future.close();
    expect(() => openDatabase(file)).toThrow(/newer FixRes Lab/);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(999);
    check.close();
  });
});
