import type { Migration } from '../migrate';

/**
 * Where a model is wrong: per measured (run, K_test, adapter), the confusion matrix with its class
 * names (a stored document) and every misclassified validation image (path, true and predicted
 * class, softmax confidence), from a sweep, the last epoch's validation or an evaluation. The
 * mistakes belong to their point; both go with the run.
 */
export const outcomes: Migration = {
  version: 10,
  name: 'confusion matrices and mistakes',
  up(db) {
    db.exec(`
      CREATE TABLE point_outcomes (
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        k_test     INTEGER NOT NULL CHECK (k_test > 0),
        adapter    TEXT NOT NULL CHECK (adapter IN ('none', 'frechet')),
        source     TEXT NOT NULL CHECK (source IN ('sweep', 'training', 'evaluation')),
        n          INTEGER NOT NULL CHECK (n >= 0),
        correct    INTEGER NOT NULL CHECK (correct BETWEEN 0 AND n),
        matrix     TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (run_id, k_test, adapter)
      ) WITHOUT ROWID;
      CREATE TABLE point_mistakes (
        run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        k_test          INTEGER NOT NULL,
        adapter         TEXT NOT NULL,
        rel_path        TEXT NOT NULL,
        true_class      INTEGER NOT NULL CHECK (true_class >= 0),
        predicted_class INTEGER NOT NULL CHECK (predicted_class >= 0 AND predicted_class != true_class),
        confidence      REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
        PRIMARY KEY (run_id, k_test, adapter, rel_path)
      ) WITHOUT ROWID;
      CREATE INDEX point_mistakes_by_class ON point_mistakes (run_id, k_test, adapter, true_class, predicted_class);
    `);
  },
};
