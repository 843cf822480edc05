import type { Db } from './db';

export interface Migration {
  version: number;
  name: string;
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
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push({ version: m.version, name: m.name });
  }
  return applied;
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
