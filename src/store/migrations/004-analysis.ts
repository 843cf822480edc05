import type { Migration } from '../migrate';

/**
 * Sweep points and activation statistics, one row per (run, K_test[, adapter]). Both reference
 * `runs(id)`, which migration 003 (runs, epochs, checkpoints) creates; SQLite accepts the
 * reference before that table exists and enforces it on insert, so rows can only be written
 * once 003 is in, and they go when their run is deleted.
 */
export const sweepsAndActivationStats: Migration = {
  version: 4,
  name: 'sweep points and activation statistics',
  up(db) {
    db.exec(`
        CREATE TABLE sweep_points (
          id          INTEGER PRIMARY KEY,
          run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          k_test      INTEGER NOT NULL CHECK (k_test > 0),
          adapter     TEXT NOT NULL CHECK (adapter IN ('none', 'frechet', 'finetuned')),
          top1        REAL NOT NULL CHECK (top1 BETWEEN 0 AND 1),
          top5        REAL CHECK (top5 BETWEEN 0 AND 1),
          loss        REAL,
          n           INTEGER NOT NULL CHECK (n > 0),
          created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          UNIQUE (run_id, k_test, adapter)
        );
        CREATE TABLE activation_stats (
          id             INTEGER PRIMARY KEY,
          run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          k_test         INTEGER NOT NULL CHECK (k_test > 0),
          n              INTEGER NOT NULL CHECK (n >= 0),
          non_finite     INTEGER NOT NULL DEFAULT 0 CHECK (non_finite >= 0),
          mean           REAL NOT NULL,
          std            REAL NOT NULL,
          zero_frac      REAL NOT NULL CHECK (zero_frac BETWEEN 0 AND 1),
          min            REAL NOT NULL,
          max            REAL NOT NULL,
          histogram      TEXT NOT NULL CHECK (json_valid(histogram)),
          frechet_mu     REAL,
          frechet_sigma  REAL CHECK (frechet_sigma > 0),
          frechet_xi     REAL,
          frechet_zeros  TEXT CHECK (frechet_zeros IN ('censored', 'include')),
          frechet_ks     REAL CHECK (frechet_ks BETWEEN 0 AND 1),
          created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          UNIQUE (run_id, k_test)
        );
      `);
  },
};
