import Database from 'better-sqlite3';
import type { Db } from './db';

/** SQLite's result codes for a file that is not (or no longer) a readable database. */
const DAMAGE_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE']);

/** At most this many problems are named; quick_check stops there too. */
const SHOWN_PROBLEMS = 3;

/**
 * Refuses a damaged database before anything writes to it, with SQLite's `quick_check` (a pass
 * over every page, b-tree and record, without the slower cross-check of indexes against tables):
 * a lab that opened it would run half-working, one table failing while another reads.
 */
export function refuseDamaged(db: Db, file: string): void {
  let problems: string[];
  try {
    problems = (db.pragma(`quick_check(${SHOWN_PROBLEMS})`) as { quick_check: string }[]).map((r) =>
      // SQLite heads its report with "*** in database main ***" and breaks lines: one line each.
      r.quick_check
        .replace(/\*\*\* in database \w+ \*\*\*/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  } catch (err) {
    if (!DAMAGE_CODES.has((err as { code?: string }).code ?? '')) throw err;
    problems = [(err as Error).message];
  }
  if (problems.length === 1 && problems[0] === 'ok') return;
  throw damagedError(file, problems);
}

/** Whether the database file is damaged, checked read-only (the file is not changed). */
export function isDamagedFile(file: string): boolean {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    refuseDamaged(db, file);
    return false;
  } catch (err) {
    if ((err as Error).name === 'DatabaseDamaged') return true;
    throw err;
  } finally {
    db.close();
  }
}

function damagedError(file: string, problems: string[]): Error {
  const err = new Error(
    `The database ${file} is damaged (SQLite found: ${problems.slice(0, SHOWN_PROBLEMS).join('; ')}). ` +
      'Nothing was changed. To go on: restore it from a backup; or run "fixres db recover" to copy what can ' +
      'still be read into a new database (the damaged file is kept beside it); or move it aside to start with an empty lab.',
  );
  err.name = 'DatabaseDamaged';
  return err;
}
