import type { Db } from '../db';
import type { Migration } from '../migrate';

/**
 * Imported models (PyTorch weights brought in, with their provenance: file, sha256, format, what
 * they predict and how they want their images), and runs of kind `import`: an imported model put
 * to work on a dataset owns a checkpoint in the lab's format like any run, so sweeps,
 * activation statistics, the Fréchet series, fine-tunes and exports treat it as a run.
 */
export const importedModels: Migration = {
  version: 7,
  name: 'imported models',
  rebuildsTables: true,
  up(db) {
    db.exec(`
      CREATE TABLE models (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        name            TEXT NOT NULL,
        arch            TEXT NOT NULL,
        width           REAL NOT NULL,
        blocks          TEXT CHECK (blocks IS NULL OR json_valid(blocks)),
        num_classes     INTEGER NOT NULL CHECK (num_classes > 0),
        class_names     TEXT CHECK (class_names IS NULL OR json_valid(class_names)),
        preprocessing   TEXT NOT NULL CHECK (json_valid(preprocessing)),
        file            TEXT NOT NULL,
        sha256          TEXT NOT NULL,
        format          TEXT NOT NULL CHECK (format IN ('safetensors', 'torch-zip', 'torch-legacy')),
        bytes           INTEGER NOT NULL,
        weights_at      TEXT NOT NULL,
        stripped_prefix TEXT NOT NULL,
        params          INTEGER NOT NULL,
        checkpoint_dir  TEXT NOT NULL,
        import_seconds  REAL NOT NULL,
        created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );
    `);
    allowImportRuns(db);
    db.exec(`
      ALTER TABLE runs ADD COLUMN model_id INTEGER REFERENCES models(id) ON DELETE SET NULL;
      CREATE INDEX runs_by_model ON runs(model_id);
    `);
  },
};

const KIND_CHECK = /(CHECK\s*\(\s*kind\s+IN\s*\()([^)]*)(\)\s*\))/i;

/**
 * Adds 'import' to the kinds a run may have. SQLite cannot change a CHECK constraint in place:
 * the table is rebuilt from its own CREATE statement (rows copied with their ids, indexes
 * recreated); the migrator turns foreign keys off around it (rebuildsTables) so dropping the
 * old table does not cascade into epochs and sweeps.
 */
function allowImportRuns(db: Db): void {
  if (db.pragma('foreign_keys', { simple: true }) === 1) {
    throw new Error('Migration 7 rebuilds the runs table and must run with foreign keys off (Migration.rebuildsTables)');
  }
  const { sql } = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'runs'`).get() as { sql: string };
  if (!KIND_CHECK.test(sql)) throw new Error('The runs table has no CHECK on its kind to extend');
  const rebuilt = sql
    .replace(KIND_CHECK, (_all, open: string, kinds: string, close: string) => `${open}${kinds}, 'import'${close}`)
    .replace(/^CREATE TABLE\s+("?)runs\1/i, 'CREATE TABLE runs_rebuilt');
  const indexes = (
    db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs' AND sql IS NOT NULL`).all() as {
      sql: string;
    }[]
  ).map((r) => r.sql);
  const columns = (db.pragma('table_info(runs)') as { name: string }[]).map((c) => `"${c.name}"`).join(', ');
  // Ids are never given out twice (migration 6): the counter goes with the rebuild, not reset to the largest row.
  const counter = sequenceOf(db, 'runs');
  db.exec(rebuilt);
  db.exec(`INSERT INTO runs_rebuilt (${columns}) SELECT ${columns} FROM runs`);
  db.exec('DROP TABLE runs');
  db.exec('ALTER TABLE runs_rebuilt RENAME TO runs');
  for (const index of indexes) db.exec(index);
  if (counter !== null) {
    db.prepare(`DELETE FROM sqlite_sequence WHERE name = 'runs'`).run();
    db.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('runs', ?)`).run(counter);
  }
}

/** A table's AUTOINCREMENT counter, or null when it has none (yet). */
function sequenceOf(db: Db, table: string): number | null {
  const hasSequence = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'`).get();
  if (!hasSequence) return null;
  const row = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = ?`).get(table) as { seq: number } | undefined;
  return row?.seq ?? null;
}
