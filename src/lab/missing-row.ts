import { LabError } from '../shared/errors';
import type { Db } from '../store/db';
import { wasDeleted, type LastingIdTable } from '../store/lasting-ids';

const TABLES = {
  dataset: 'datasets',
  run: 'runs',
  sweep: 'sweeps',
  workflow: 'workflows',
  model: 'models',
} as const satisfies Record<string, LastingIdTable>;

/**
 * The error for a reference to a row that is not there (code NotFound). Ids are never reused, so
 * a row that existed is named as deleted ("Run #10 was deleted", name RowDeleted) rather than
 * reported as unknown ("No run with id 10", name NoSuchRow); clients tell them apart by name.
 */
export function missingRow(db: Db, kind: keyof typeof TABLES, id: number, field?: string): LabError {
  const Kind = kind[0]!.toUpperCase() + kind.slice(1);
  const deleted = wasDeleted(db, TABLES[kind], id);
  return new LabError({
    name: deleted ? 'RowDeleted' : 'NoSuchRow',
    code: 'NotFound',
    message: deleted ? `${Kind} #${id} was deleted` : `No ${kind} with id ${id}`,
    ...(field ? { field } : {}),
  });
}
