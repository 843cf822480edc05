import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { refuseDamaged } from './integrity';
import { migrate, refuseNewer, type MigrationResult } from './migrate';
import { migrations } from './migrations/index';

export type Db = Database.Database;

/** SQL for "now" as the ISO-8601 UTC text every timestamp column holds. */
export const SQL_NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

export interface OpenOptions {
  /** A .node file built for the running runtime (Electron needs its own ABI build of better-sqlite3). */
  nativeBinding?: string;
}

/**
 * Opens (creating if needed) the lab database and migrates it forward. Use ':memory:' in tests.
 * A damaged file, or one written by a newer FixRes Lab, is refused before anything is written.
 */
export function openDatabase(file: string, options: OpenOptions = {}): { db: Db; migrated: MigrationResult[] } {
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  // On a read-only connection of its own: SQLite's quick_check runs about twice as fast there (bench:store).
  if (file !== ':memory:' && existsSync(file) && statSync(file).size > 0) {
    const reader = new Database(file, { ...binding, readonly: true });
    try {
      refuseDamaged(reader, file);
    } finally {
      reader.close();
    }
  }
  const db = new Database(file, binding);
  try {
    // Before any pragma: switching to WAL would already rewrite the header of a newer app's file.
    refuseNewer(db, migrations);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    const migrated = migrate(db, migrations);
    return { db, migrated };
  } catch (err) {
    db.close();
    throw err;
  }
}
