import type { Migration } from '../migrate';

/**
 * Models trained elsewhere from a run's recipe (`fixres runs export-recipe`, then torchrun) name
 * that run: config → external training → imported model. `external_training` keeps what the
 * recipe's config.json said about that training (epochs, processes, PyTorch version).
 */
export const recipeModels: Migration = {
  version: 11,
  name: 'models trained from a recipe',
  up(db) {
    db.exec(`
      ALTER TABLE models ADD COLUMN recipe_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL;
      ALTER TABLE models ADD COLUMN external_training TEXT CHECK (external_training IS NULL OR json_valid(external_training));
      CREATE INDEX models_by_recipe_run ON models(recipe_run_id);
    `);
  },
};
