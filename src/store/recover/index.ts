import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openDatabase, type Db } from '../db';
import { migrate } from '../migrate';
import { migrations } from '../migrations/index';
import { repairReferences, type ReferenceRepair } from './references';
import { isDamage, salvageTable, type TableSalvage } from './salvage';
import { sqliteRecover, sqliteRecoverAvailable } from './sqlite-cli';

export type RecoveryMethod = 'sqlite3 .recover' | 'row by row';

/** What a recovery saved, and what it had to give up. */
export interface RecoveryReport {
  method: RecoveryMethod;
  /** Why SQLite's own `.recover` was not used, when it was not. */
  fallbackReason: string | null;
  /** The schema version the damaged database had. */
  schemaVersion: number;
  /** Rows saved per table; `damagedPlaces` is null where the method cannot tell (`.recover`). */
  tables: (Omit<TableSalvage, 'damagedPlaces'> & { damagedPlaces: number | null })[];
  /** Rows `.recover` found but could not place (kept in its `lost_and_found` table). */
  lostAndFound: number;
  /** References to lost rows, settled as deleting those rows would have. */
  repairs: ReferenceRepair[];
  /** The database's identity was lost and a new one made (its run folders then look foreign). */
  newIdentity: boolean;
}

/**
 * Copies what can be read of the damaged database `source` into `target`, a new file: with
 * SQLite's `.recover` where a sqlite3 tool that has it is installed, else row by row, table by
 * table (rows on damaged pages are lost; with `.recover`, rows of damaged b-trees may survive).
 * The target is then opened as the lab opens it (integrity checked, migrated forward).
 * The source is only read.
 */
export async function recoverDatabase(
  source: string,
  target: string,
  options: { rowByRow?: boolean } = {},
): Promise<RecoveryReport> {
  const schemaVersion = readableVersion(source);
  let fallbackReason: string | null = options.rowByRow ? 'row by row was asked for' : null;
  let report: RecoveryReport | null = null;
  if (!fallbackReason && !sqliteRecoverAvailable()) fallbackReason = 'no sqlite3 tool with .recover is installed';
  if (!fallbackReason) {
    try {
      await sqliteRecover(source, target);
      report = settle(target, 'sqlite3 .recover', schemaVersion, (db) => countRows(db));
    } catch (err) {
      fallbackReason = (err as Error).message;
      removeDatabaseFiles(target);
    }
  }
  report ??= settle(target, 'row by row', schemaVersion, (db) => salvageRows(source, db, schemaVersion));
  report.fallbackReason = fallbackReason;
  openDatabase(target).db.close();
  return report;
}

/** The damaged file's schema version, or why nothing at all can be read. */
function readableVersion(source: string): number {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    db.prepare(`SELECT name FROM sqlite_master`).all();
    const latest = migrations.at(-1)!.version;
    if (version > latest)
      throw new Error(`${source} was written by a newer FixRes Lab (schema ${version}); recover it with that version.`);
    return version;
  } catch (err) {
    if (!isDamage(err)) throw err;
    throw new Error(
      `Nothing can be read from ${source}: its header or its list of tables is damaged (${(err as Error).message}). Restore it from a backup.`,
    );
  } finally {
    db.close();
  }
}

/** Fills `target` (created here) and settles what the recovery left: lost references, a lost identity. */
function settle(
  target: string,
  method: RecoveryMethod,
  schemaVersion: number,
  fill: (db: Db) => { tables: RecoveryReport['tables']; lostAndFound: number },
): RecoveryReport {
  const db = new Database(target);
  try {
    if (method === 'row by row')
      migrate(
        db,
        migrations.filter((m) => m.version <= schemaVersion),
      );
    db.pragma('foreign_keys = OFF');
    return db.transaction(() => {
      const filled = fill(db);
      const repairs = repairReferences(db);
      const newIdentity = schemaVersion >= 6 && ensureIdentity(db);
      return { method, fallbackReason: null, schemaVersion, ...filled, repairs, newIdentity };
    })();
  } finally {
    db.close();
  }
}

function salvageRows(source: string, target: Db, schemaVersion: number): { tables: TableSalvage[]; lostAndFound: number } {
  const src = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const tables = userTables(target).filter((t) => userTables(src).includes(t));
    const salvaged = tables.map((table) => {
      // Migrations may have seeded rows (a new identity): the damaged database's own rows win.
      target.prepare(`DELETE FROM "${table}"`).run();
      return salvageTable(src, target, table);
    });
    if (schemaVersion >= 6) keepIdCounters(src, target);
    return { tables: salvaged, lostAndFound: 0 };
  } finally {
    src.close();
  }
}

/** Keeps each table's id counter where the damaged database had it, so no id is ever given out twice. */
function keepIdCounters(source: Db, target: Db): void {
  let counters: { name: string; seq: number }[] = [];
  try {
    counters = source.prepare(`SELECT name, seq FROM sqlite_sequence`).all() as { name: string; seq: number }[];
  } catch (err) {
    if (!isDamage(err)) throw err;
  }
  for (const { name, seq } of counters) {
    const changed = target.prepare(`UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?`).run(seq, name).changes;
    if (!changed) target.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`).run(name, seq);
  }
}

function countRows(db: Db): { tables: RecoveryReport['tables']; lostAndFound: number } {
  const tables = userTables(db).filter((t) => t !== 'lost_and_found');
  const count = (t: string) => (db.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get() as number) ?? 0;
  return {
    tables: tables.map((table) => ({ table, rows: count(table), damagedPlaces: null })),
    lostAndFound: userTables(db).includes('lost_and_found') ? count('lost_and_found') : 0,
  };
}

/** Makes a new identity when the damaged database's was lost; true when it did. */
function ensureIdentity(db: Db): boolean {
  return (
    db.prepare(`INSERT OR IGNORE INTO lab_meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))))`).run().changes > 0
  );
}

function userTables(db: Db): string[] {
  return db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}
