import type { Statement } from 'better-sqlite3';
import type { Db } from '../db';

/** What was copied of one table. */
export interface TableSalvage {
  table: string;
  rows: number;
  /** Places where reading failed (a damaged page): the rows stored there are lost. */
  damagedPlaces: number;
}

/** The column a table is read in order of, so reading can resume past a damaged page. */
interface Cursor {
  column: string;
  /** Columns selected, in the target's order. */
  columns: string[];
}

/** Largest key probed past a damaged place before giving up on the rest of a table. */
const MAX_KEY = 2 ** 53;

/**
 * Copies the readable rows of `table` from `source` to `target` (same schema), in key order.
 * When reading fails (a damaged page), it looks for the next readable key past it, so one
 * damaged page loses only the rows stored on it (a damaged interior page: the rows below it).
 */
export function salvageTable(source: Db, target: Db, table: string): TableSalvage {
  const cursor = cursorOf(source, target, table);
  const list = cursor.columns.map(quote).join(', ');
  const insert = target.prepare(
    `INSERT OR IGNORE INTO ${quote(table)} (${list}) VALUES (${cursor.columns.map(() => '?').join(', ')})`,
  );
  const key = cursor.column === 'rowid' ? 'rowid' : quote(cursor.column);
  // ">=" seeks, not ">": SQLite seeks "> k" through the page that holds k, which may be the damaged one.
  const read = source.prepare(`SELECT ${key} AS __key, ${list} FROM ${quote(table)} WHERE ${key} >= ? ORDER BY ${key}`).raw();
  const firstFrom = source.prepare(`SELECT ${key} FROM ${quote(table)} WHERE ${key} >= ? ORDER BY ${key} LIMIT 1`).pluck();
  const result: TableSalvage = { table, rows: 0, damagedPlaces: 0 };
  let from: number = -MAX_KEY;
  // Ids here are positive: when the first page read is damaged, the search for more starts at 1.
  let last = 0;
  for (;;) {
    try {
      for (const row of read.iterate(from) as Iterable<unknown[]>) {
        last = row[0] as number;
        if (insert.run(...row.slice(1)).changes) result.rows++;
      }
      return result;
    } catch (err) {
      if (!isDamage(err)) throw err;
      result.damagedPlaces++;
      const next = nextReadable(firstFrom, last + 1);
      if (next === null) return result;
      from = next;
    }
  }
}

/**
 * The first readable key at or after `start` (where reading failed), or null when none is found:
 * probes 1, 2, 4, … keys on until a seek succeeds, then narrows down between the last failing and
 * the first working probe, so rows just past the damaged page are not skipped.
 */
function nextReadable(firstFrom: Statement, start: number): number | null {
  const probe = (offset: number): { key: number | null } | null => {
    try {
      return { key: (firstFrom.get(start + offset) as number | undefined) ?? null };
    } catch (err) {
      if (!isDamage(err)) throw err;
      return null;
    }
  };
  let failing = -1;
  let working = 1;
  let found = probe(working);
  while (!found) {
    failing = working;
    working *= 2;
    if (start + working >= MAX_KEY) return null;
    found = probe(working);
  }
  while (working - failing > 1) {
    const mid = Math.floor((failing + working) / 2);
    const atMid = probe(mid);
    if (atMid) [working, found] = [mid, atMid];
    else failing = mid;
  }
  return found.key;
}

function cursorOf(source: Db, target: Db, table: string): Cursor {
  const sourceColumns = new Set((source.pragma(`table_info(${quote(table)})`) as { name: string }[]).map((c) => c.name));
  const targetColumns = target.pragma(`table_info(${quote(table)})`) as { name: string; pk: number; type: string }[];
  const columns = targetColumns.map((c) => c.name).filter((name) => sourceColumns.has(name));
  const withoutRowid = /\bWITHOUT\s+ROWID\b/i.test(
    (target.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) as { sql: string }).sql,
  );
  if (!withoutRowid) return { column: 'rowid', columns };
  // WITHOUT ROWID tables here have an integer first key column (run_id, workflow_id).
  const first = targetColumns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk)[0]!;
  return { column: first.name, columns };
}

const DAMAGE = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_SEQUENCE',
  'SQLITE_NOTADB',
  'SQLITE_IOERR_SHORT_READ',
]);

/** Whether an error says the file is damaged (anything else is a bug and is thrown on). */
export function isDamage(err: unknown): boolean {
  return DAMAGE.has((err as { code?: string }).code ?? '');
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
