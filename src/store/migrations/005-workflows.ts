import type { Migration } from '../migrate';

/**
 * Sweeps (one evaluation of a run over a list of K_test, one series), the per-point cost of a
 * sweep, and workflows ("train small, test large") with one row per step, so a workflow resumes
 * at the step where it stopped.
 */
export const sweepsAndWorkflows: Migration = {
  version: 5,
  name: 'sweeps and workflows',
  up(db) {
    db.exec(`
        CREATE TABLE sweeps (
          id            INTEGER PRIMARY KEY,
          run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          adapter       TEXT NOT NULL CHECK (adapter IN ('none', 'frechet')),
          status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted')),
          settings      TEXT NOT NULL CHECK (json_valid(settings)),
          reference     TEXT CHECK (reference IS NULL OR json_valid(reference)),
          backend       TEXT,
          created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          started_at    TEXT,
          finished_at   TEXT,
          wall_seconds  REAL NOT NULL DEFAULT 0,
          img_per_sec   REAL,
          peak_rss_mb   REAL,
          error         TEXT
        );
        CREATE INDEX sweeps_by_run ON sweeps(run_id);

        ALTER TABLE sweep_points ADD COLUMN sweep_id INTEGER REFERENCES sweeps(id) ON DELETE SET NULL;
        ALTER TABLE sweep_points ADD COLUMN seconds REAL;
        ALTER TABLE sweep_points ADD COLUMN img_per_sec REAL;

        CREATE TABLE workflows (
          id            INTEGER PRIMARY KEY,
          name          TEXT NOT NULL,
          dataset_id    INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
          status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted')),
          config        TEXT NOT NULL CHECK (json_valid(config)),
          summary       TEXT CHECK (summary IS NULL OR json_valid(summary)),
          error         TEXT,
          created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          finished_at   TEXT
        );
        CREATE TABLE workflow_steps (
          workflow_id   INTEGER NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
          position      INTEGER NOT NULL,
          step          TEXT NOT NULL,
          status        TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled', 'interrupted')),
          run_id        INTEGER REFERENCES runs(id) ON DELETE SET NULL,
          sweep_id      INTEGER REFERENCES sweeps(id) ON DELETE SET NULL,
          output        TEXT CHECK (output IS NULL OR json_valid(output)),
          started_at    TEXT,
          finished_at   TEXT,
          wall_seconds  REAL NOT NULL DEFAULT 0,
          peak_rss_mb   REAL,
          img_per_sec   REAL,
          error         TEXT,
          PRIMARY KEY (workflow_id, position),
          UNIQUE (workflow_id, step)
        ) WITHOUT ROWID;
      `);
  },
};
