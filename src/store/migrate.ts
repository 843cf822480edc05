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

/** How long a migration waits for another process that is migrating the same file. */
const MIGRATION_WAIT_MS = 60_000;

/**
 * Applies pending migrations in order, each in its own `BEGIN IMMEDIATE` transaction, recording
 * the version in PRAGMA user_version. The version is read again once the write lock is held, so
 * two processes opening an old database at once migrate it once: the second waits, then finds
 * nothing left to do. A database written by a newer FixRes Lab is refused untouched.
 */
export function migrate(db: Db, list: readonly Migration[]): MigrationResult[] {
  refuseNewer(db, list);
  const applied: MigrationResult[] = [];
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${Math.max(busyTimeout, MIGRATION_WAIT_MS)}`);
  try {
    for (const m of list) if (applyOne(db, m, list)) applied.push({ version: m.version, name: m.name });
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
  return applied;
}

/** Applies `m` unless the database (read under the write lock) already has it; true when it ran. */
function applyOne(db: Db, m: Migration, list: readonly Migration[]): boolean {
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
  // SQLite ignores this switch inside a transaction, so it is flipped around it.
  if (m.rebuildsTables) db.pragma('foreign_keys = OFF');
  try {
    return db
      .transaction(() => {
        if (refuseNewer(db, list) >= m.version) return false;
        const brokenBefore = m.rebuildsTables ? brokenReferences(db).length : 0;
        m.up(db);
        if (m.rebuildsTables) refuseNewBrokenReferences(db, m, brokenBefore);
        db.pragma(`user_version = ${m.version}`);
        return true;
      })
      .immediate();
  } finally {
    if (m.rebuildsTables && foreignKeys) db.pragma('foreign_keys = ON');
  }
}

function brokenReferences(db: Db): { table: string; rowid: number; parent: string }[] {
  return db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
}

/** Only references the migration broke count: one a user's edit broke earlier must not block every later start. */
function refuseNewBrokenReferences(db: Db, m: Migration, before: number): void {
  const broken = brokenReferences(db);
  if (broken.length > before) {
    const first = broken[0]!;
    throw new Error(
      `Migration ${m.version} (${m.name}) would leave ${broken.length - before} broken reference(s), e.g. ${first.table} row ${first.rowid} → ${first.parent}; nothing was changed.`,
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
