import type { Db } from '../db';

/** Rows whose referenced row was lost, and what was done about each kind. */
export interface ReferenceRepair {
  table: string;
  column: string;
  parent: string;
  /** Rows removed (their parent owns them: epochs of a lost run) or references cleared (a run whose dataset was lost). */
  removed: number;
  cleared: number;
}

interface ForeignKey {
  child: string;
  parent: string;
  from: string;
  to: string;
  onDelete: string;
}

/**
 * Settles references to rows that were lost with a damaged page, as deleting those rows would
 * have: `ON DELETE CASCADE` children go, `SET NULL` references are cleared. Repeats until no
 * reference points nowhere (a removed row may own rows of its own).
 */
export function repairReferences(db: Db): ReferenceRepair[] {
  const repairs = new Map<string, ReferenceRepair>();
  const keys = foreignKeys(db);
  for (let changed = true; changed;) {
    changed = false;
    for (const k of keys) {
      const dangling = `"${k.from}" IS NOT NULL AND "${k.from}" NOT IN (SELECT "${k.to}" FROM "${k.parent}")`;
      const clear = k.onDelete === 'SET NULL';
      const { changes } = db
        .prepare(
          clear ? `UPDATE "${k.child}" SET "${k.from}" = NULL WHERE ${dangling}` : `DELETE FROM "${k.child}" WHERE ${dangling}`,
        )
        .run();
      if (!changes) continue;
      changed = true;
      const id = `${k.child}.${k.from}`;
      const repair = repairs.get(id) ?? { table: k.child, column: k.from, parent: k.parent, removed: 0, cleared: 0 };
      if (clear) repair.cleared += changes;
      else repair.removed += changes;
      repairs.set(id, repair);
    }
  }
  return [...repairs.values()];
}

function foreignKeys(db: Db): ForeignKey[] {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .pluck()
    .all() as string[];
  return tables.flatMap((child) =>
    (db.pragma(`foreign_key_list("${child}")`) as { table: string; from: string; to: string; on_delete: string }[]).map((k) => ({
      child,
      parent: k.table,
      from: k.from,
      to: k.to,
      onDelete: k.on_delete,
    })),
  );
}
