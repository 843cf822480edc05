import type { Statement } from 'better-sqlite3';
import type { Db } from './db';

const byConnection = new WeakMap<Db, Map<string, Statement>>();

/**
 * The statement for `sql` on this connection, compiled on first use and reused for the
 * connection's life (SQLite recompiles it by itself after a schema change). Repository
 * functions run on every request, event and epoch: compiling the same SQL each time is waste.
 * Never switch a cached statement's mode (`pluck`, `raw`, `expand`): every caller shares it.
 */
export function prepared(db: Db, sql: string): Statement {
  let cache = byConnection.get(db);
  if (!cache) byConnection.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}
