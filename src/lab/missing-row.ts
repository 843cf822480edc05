import { userError } from '../shared/errors';
import type { Db } from '../store/db';
import { wasDeleted, type LastingIdTable } from '../store/lasting-ids';

const TABLES = { dataset: 'datasets', run: 'runs', sweep: 'sweeps', workflow: 'workflows' } as const satisfies Record<
  string,
  LastingIdTable
>;

/**
 * The error for a reference to a row that is not there. Ids are never reused, so a row that
 * existed is named as deleted ("Run #10 was deleted") rather than reported as unknown.
 */
export function missingRow(db: Db, kind: keyof typeof TABLES, id: number, field?: string): Error {
  const Kind = kind[0]!.toUpperCase() + kind.slice(1);
  return userError(wasDeleted(db, TABLES[kind], id) ? `${Kind} #${id} was deleted` : `No ${kind} with id ${id}`, field);
}
