import type { Migration } from '../migrate';

/**
 * Forgotten datasets that runs and workflows still refer to: the folder, its split settings and a
 * fingerprint of its images (class, split and content hash of each readable one). Forgetting sets
 * a run's dataset to NULL; opening the same folder again with the same fingerprint reattaches it,
 * so its sweeps and fine-tunes work again. Existing ids are kept; nothing is backfilled (a dataset
 * forgotten before this version left nothing to match).
 */
export const forgottenDatasets: Migration = {
  version: 9,
  name: 'forgotten datasets',
  up(db) {
    db.exec(`
        CREATE TABLE forgotten_datasets (
          id            INTEGER PRIMARY KEY AUTOINCREMENT,
          root          TEXT NOT NULL,
          manifest      TEXT,
          name          TEXT NOT NULL,
          val_fraction  REAL NOT NULL,
          split_seed    INTEGER NOT NULL,
          fingerprint   TEXT NOT NULL,
          images        INTEGER NOT NULL,
          forgotten_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX forgotten_datasets_by_root ON forgotten_datasets(root);
        ALTER TABLE runs ADD COLUMN forgotten_dataset_id INTEGER REFERENCES forgotten_datasets(id) ON DELETE SET NULL;
        ALTER TABLE workflows ADD COLUMN forgotten_dataset_id INTEGER REFERENCES forgotten_datasets(id) ON DELETE SET NULL;
      `);
  },
};
