import type { Migration } from '../migrate';

export const runsAndEpochs: Migration = {
  version: 3,
  name: 'runs, epochs and checkpoints',
  up(db) {
    db.exec(`
        CREATE TABLE runs (
          id                INTEGER PRIMARY KEY,
          kind              TEXT NOT NULL CHECK (kind IN ('train', 'finetune', 'sweep', 'workflow')),
          name              TEXT NOT NULL,
          parent_id         INTEGER REFERENCES runs(id) ON DELETE SET NULL,
          dataset_id        INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
          status            TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted')),
          config            TEXT NOT NULL,
          backend           TEXT,
          created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          started_at        TEXT,
          finished_at       TEXT,
          wall_seconds      REAL NOT NULL DEFAULT 0,
          img_per_sec       REAL,
          peak_rss_mb       REAL,
          epochs_done       INTEGER NOT NULL DEFAULT 0,
          error             TEXT,
          checkpoint_dir    TEXT,
          checkpoint_epoch  INTEGER,
          checkpoint_batch  INTEGER
        );
        CREATE INDEX runs_by_parent ON runs(parent_id);
        CREATE INDEX runs_by_dataset ON runs(dataset_id);
        CREATE TABLE epochs (
          run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          epoch        INTEGER NOT NULL,
          phase        TEXT NOT NULL CHECK (phase IN ('train', 'val')),
          loss         REAL,
          acc          REAL,
          top5         REAL,
          lr           REAL NOT NULL,
          img_per_sec  REAL,
          seconds      REAL,
          PRIMARY KEY (run_id, epoch, phase)
        ) WITHOUT ROWID;
      `);
  },
};
