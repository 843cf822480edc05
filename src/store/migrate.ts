import type { Db } from './db';

export interface Migration {
  version: number;
  name: string;
  /**
   * The migration rebuilds tables (SQLite's way to change a column): it runs with foreign-key
   * enforcement off, since dropping the old table would otherwise cascade into its children,
   * and every reference is checked before it commits.
   */
  rebuildsTables?: boolean;
  up(db: Db): void;
}

export interface MigrationResult {
  version: number;
  name: string;
}

/**
 * Applies pending migrations in order, each in its own transaction, recording the version in
 * PRAGMA user_version. A database written by a newer FixRes Lab is refused untouched.
 */
export function migrate(db: Db, list: readonly Migration[]): MigrationResult[] {
  const current = refuseNewer(db, list);
  const applied: MigrationResult[] = [];
  for (const m of list) {
    if (m.version <= current) continue;
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
    // SQLite ignores this switch inside a transaction, so it is flipped around it.
    if (m.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        m.up(db);
        if (m.rebuildsTables) refuseBrokenReferences(db, m);
        db.pragma(`user_version = ${m.version}`);
      })();
    } finally {
      if (m.rebuildsTables && foreignKeys) db.pragma('foreign_keys = ON');
    }
    applied.push({ version: m.version, name: m.name });
  }
  return applied;
}

/** A rebuild must leave every reference intact; otherwise the whole migration is rolled back. */
function refuseBrokenReferences(db: Db, m: Migration): void {
  const broken = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  if (broken.length) {
    const first = broken[0]!;
    throw new Error(
      `Migration ${m.version} (${m.name}) would leave ${broken.length} broken reference(s), e.g. ${first.table} row ${first.rowid} → ${first.parent}; nothing was changed.`,
    );
  }
}

/** Throws SchemaTooNew for a database written by a newer FixRes Lab (reading only); returns its version. */
export function refuseNewer(db: Db, list: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = list.length ? list[list.length - 1]!.version : 0;
  if (current > latest) {
    const err = new Error(
      `This database was written by a newer FixRes Lab (schema ${current}; this version knows up to ${latest}). ` +
        'Update the app, or point FIXRES_HOME at another folder.',
    );
    err.name = 'SchemaTooNew';
    throw err;
  }
  return current;
}
