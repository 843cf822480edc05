import type { Migration } from '../migrate';

/** Per-image inspection (size, format, hash, colour stats, unreadable reasons), skipped files, split settings. */
export const dataInspection: Migration = {
  version: 2,
  name: 'data inspection',
  up(db) {
    db.exec(`
        ALTER TABLE datasets ADD COLUMN manifest TEXT;
        ALTER TABLE datasets ADD COLUMN val_fraction REAL NOT NULL DEFAULT 0.2;
        ALTER TABLE datasets ADD COLUMN split_seed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE datasets ADD COLUMN split_source TEXT NOT NULL DEFAULT 'folders'
          CHECK (split_source IN ('folders', 'manifest', 'seeded'));

        ALTER TABLE images ADD COLUMN status TEXT NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'ok', 'unreadable'));
        ALTER TABLE images ADD COLUMN error TEXT;
        ALTER TABLE images ADD COLUMN width INTEGER;
        ALTER TABLE images ADD COLUMN height INTEGER;
        ALTER TABLE images ADD COLUMN format TEXT;
        ALTER TABLE images ADD COLUMN hash TEXT;
        ALTER TABLE images ADD COLUMN mean_r REAL;
        ALTER TABLE images ADD COLUMN mean_g REAL;
        ALTER TABLE images ADD COLUMN mean_b REAL;
        ALTER TABLE images ADD COLUMN meansq_r REAL;
        ALTER TABLE images ADD COLUMN meansq_g REAL;
        ALTER TABLE images ADD COLUMN meansq_b REAL;
        CREATE INDEX images_by_hash ON images(dataset_id, hash);
        CREATE INDEX images_by_size ON images(dataset_id, width, height);

        CREATE TABLE skipped_files (
          id          INTEGER PRIMARY KEY,
          dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
          rel_path    TEXT NOT NULL,
          reason      TEXT NOT NULL
        );
        CREATE INDEX skipped_by_dataset ON skipped_files(dataset_id);
      `);
  },
};
