import type { Db } from '../db';
import type { Migration } from '../migrate';

/** Tables whose ids the user sees or other rows and documents point at: an id is never given out twice. */
const NEVER_REUSED = ['datasets', 'images', 'runs', 'sweeps', 'workflows'] as const;

/**
 * Ids referenced from stored JSON, which no foreign key keeps in step: a deleted row's id may live
 * on there (a workflow's "fine-tuned run #10"), so the counters start above them too.
 */
const JSON_REFERENCES: Record<(typeof NEVER_REUSED)[number], { from: string; path: string; column: string }[]> = {
  datasets: [
    { from: 'runs', column: 'config', path: '$.datasetId' },
    { from: 'workflows', column: 'config', path: '$.datasetId' },
  ],
  images: [],
  runs: [
    { from: 'runs', column: 'config', path: '$.parentRunId' },
    { from: 'workflows', column: 'summary', path: '$.trainRunId' },
    { from: 'workflows', column: 'summary', path: '$.finetuneRunId' },
    { from: 'workflow_steps', column: 'output', path: '$.runId' },
  ],
  sweeps: [{ from: 'workflow_steps', column: 'output', path: '$.sweepId' }],
  workflows: [],
};

/**
 * Ids are never reused (AUTOINCREMENT, existing ids kept), and the database gets an identity
 * (`lab_meta.database_id`, random) that its run folders carry, so a new or replaced database
 * recognises folders it did not make.
 */
export const identityAndLastingIds: Migration = {
  version: 6,
  name: 'lasting ids and database identity',
  rebuildsTables: true,
  up(db) {
    for (const table of NEVER_REUSED) rebuildWithAutoincrement(db, table);
    for (const table of NEVER_REUSED) reserveReferencedIds(db, table, JSON_REFERENCES[table]);
    db.exec(`
      CREATE TABLE lab_meta (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO lab_meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));
    `);
  },
};

/**
 * SQLite cannot add AUTOINCREMENT to a column: the table is rebuilt (its own CREATE statement
 * with the keyword added, every row copied with its id, its indexes recreated). References from
 * other tables name the table, so they point at the new one once it takes the old name.
 */
function rebuildWithAutoincrement(db: Db, table: string): void {
  const { sql } = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) as { sql: string };
  const idColumn = /\bid\s+INTEGER\s+PRIMARY\s+KEY\b(?!\s+AUTOINCREMENT)/i;
  if (!idColumn.test(sql)) throw new Error(`Table ${table} has no "id INTEGER PRIMARY KEY" column to rebuild`);
  const temporary = `${table}_rebuilt`;
  const createSql = sql
    .replace(idColumn, 'id INTEGER PRIMARY KEY AUTOINCREMENT')
    .replace(new RegExp(`^CREATE TABLE\\s+"?${table}"?`, 'i'), `CREATE TABLE ${temporary}`);
  const indexes = (
    db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(table) as {
      sql: string;
    }[]
  ).map((r) => r.sql);
  const columns = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => `"${c.name}"`).join(', ');
  db.exec(createSql);
  db.exec(`INSERT INTO ${temporary} (${columns}) SELECT ${columns} FROM ${table}`);
  db.exec(`DROP TABLE ${table}`);
  db.exec(`ALTER TABLE ${temporary} RENAME TO ${table}`);
  for (const index of indexes) db.exec(index);
}

/** Starts the table's id counter above its largest id and every id stored JSON mentions. */
function reserveReferencedIds(db: Db, table: string, references: { from: string; path: string; column: string }[]): void {
  const queries = [
    `SELECT MAX(id) AS n FROM ${table}`,
    ...references.map((r) => `SELECT MAX(CAST(json_extract(${r.column}, '${r.path}') AS INTEGER)) AS n FROM ${r.from} WHERE json_valid(${r.column})`),
  ];
  const highest = Math.max(0, ...queries.map((q) => (db.prepare(q).get() as { n: number | null }).n ?? 0));
  db.prepare(`DELETE FROM sqlite_sequence WHERE name = ?`).run(table);
  if (highest > 0) db.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`).run(table, highest);
}
