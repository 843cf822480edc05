import type { Migration } from '../migrate';

/**
 * Per-image results of every sweep point (docs/SCIENCE.md §8): which validation images each
 * (run, K_test, adapter) got right, and which of them belong to the selection half, so two
 * settings on the same images get a paired McNemar test and K_test is picked on one half and
 * reported on the other. `images_key` identifies the ordered image list: results pair up only
 * when their keys are equal. Points measured before this migration have no row (they are
 * reported on all their images, with intervals but without paired tests). Activation statistics
 * record whether their Fréchet fit converged and why an adaptation sweep left a K_test without a
 * Fréchet point (only converged fits adapt).
 */
export const pointImages: Migration = {
  version: 8,
  name: 'per-image sweep results',
  up(db) {
    db.exec(`
        CREATE TABLE sweep_point_images (
          run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          k_test      INTEGER NOT NULL CHECK (k_test > 0),
          adapter     TEXT NOT NULL CHECK (adapter IN ('none', 'frechet', 'finetuned')),
          images_key  TEXT NOT NULL,
          n           INTEGER NOT NULL CHECK (n > 0),
          correct     BLOB NOT NULL CHECK (length(correct) = (n + 7) / 8),
          selection   BLOB NOT NULL CHECK (length(selection) = (n + 7) / 8),
          PRIMARY KEY (run_id, k_test, adapter)
        ) WITHOUT ROWID;
        ALTER TABLE activation_stats ADD COLUMN frechet_converged INTEGER CHECK (frechet_converged IN (0, 1));
        ALTER TABLE activation_stats ADD COLUMN adapt_note TEXT;
      `);
  },
};
