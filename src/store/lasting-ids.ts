import type { Db } from './db';
import { prepared } from './statements';

/** Tables whose ids are never given out twice (migration 006). */
export type LastingIdTable = 'datasets' | 'images' | 'runs' | 'sweeps' | 'workflows' | 'models';

/**
 * True when `id` was given out by `table` and its row is gone: ids are never reused, so an id at
 * or below the table's counter without a row was deleted (not mistyped, not yet to come).
 */
export function wasDeleted(db: Db, table: LastingIdTable, id: number): boolean {
  const counter = prepared(db, `SELECT seq FROM sqlite_sequence WHERE name = ?`).get(table) as { seq: number } | undefined;
  if (!counter || id < 1 || id > counter.seq) return false;
  return prepared(db, `SELECT 1 FROM ${table} WHERE id = ?`).get(id) === undefined;
}

/** This database's identity: random, made once (migration 006), kept through backups and recovery. */
export function databaseId(db: Db): string {
  return (prepared(db, `SELECT value FROM lab_meta WHERE key = 'database_id'`).get() as { value: string }).value;
}
