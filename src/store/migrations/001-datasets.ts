import type { Migration } from '../migrate';

export const datasetsAndImages: Migration = {
  version: 1,
  name: 'datasets and images',
  up(db) {
    db.exec(`
        CREATE TABLE datasets (
          id          INTEGER PRIMARY KEY,
          root        TEXT NOT NULL UNIQUE,
          name        TEXT NOT NULL,
          layout      TEXT NOT NULL DEFAULT 'unknown',
          status      TEXT NOT NULL DEFAULT 'scanning' CHECK (status IN ('scanning', 'ready', 'failed')),
          error       TEXT,
          created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          scanned_at  TEXT
        );
        CREATE TABLE images (
          id          INTEGER PRIMARY KEY,
          dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
          rel_path    TEXT NOT NULL,
          class_name  TEXT NOT NULL,
          split       TEXT CHECK (split IN ('train', 'val')),
          bytes       INTEGER NOT NULL,
          mtime_ms    REAL NOT NULL,
          UNIQUE (dataset_id, rel_path)
        );
        CREATE INDEX images_by_class ON images(dataset_id, class_name);
      `);
  },
};
