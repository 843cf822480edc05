import type { Db } from './db';

/** A row of `models`: an imported model and its provenance (JSON columns as stored). */
export interface ModelRow {
  id: number;
  name: string;
  arch: string;
  width: number;
  blocks: string | null;
  num_classes: number;
  class_names: string | null;
  preprocessing: string;
  file: string;
  sha256: string;
  format: 'safetensors' | 'torch-zip' | 'torch-legacy';
  bytes: number;
  weights_at: string;
  stripped_prefix: string;
  params: number;
  checkpoint_dir: string;
  import_seconds: number;
  /** The run whose exported recipe trained these weights, when it is in this database. */
  recipe_run_id: number | null;
  /** JSON: what the recipe's config.json said about that training (RecipeNote). */
  external_training: string | null;
  created_at: string;
}

/** What an import stores; the checkpoint folder is named after the new id. */
export interface NewModel {
  name: string;
  arch: string;
  width: number;
  blocks: number[] | null;
  numClasses: number;
  classNames: string[] | null;
  preprocessing: unknown;
  file: string;
  sha256: string;
  format: ModelRow['format'];
  bytes: number;
  weightsAt: string;
  strippedPrefix: string;
  params: number;
  importSeconds: number;
  recipeRunId?: number | null;
  externalTraining?: unknown;
  checkpointDir(id: number): string;
}

/** Inserts an imported model; returns the row. */
export function insertModel(db: Db, m: NewModel): ModelRow {
  return db.transaction(() => {
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO models (name, arch, width, blocks, num_classes, class_names, preprocessing, file, sha256, format, bytes,
           weights_at, stripped_prefix, params, checkpoint_dir, import_seconds, recipe_run_id, external_training)
         VALUES (@name, @arch, @width, @blocks, @numClasses, @classNames, @preprocessing, @file, @sha256, @format, @bytes,
           @weightsAt, @strippedPrefix, @params, '', @importSeconds, @recipeRunId, @externalTraining)`,
      )
      .run({
        ...m,
        checkpointDir: undefined,
        blocks: m.blocks ? JSON.stringify(m.blocks) : null,
        classNames: m.classNames ? JSON.stringify(m.classNames) : null,
        preprocessing: JSON.stringify(m.preprocessing),
        recipeRunId: m.recipeRunId ?? null,
        externalTraining: m.externalTraining ? JSON.stringify(m.externalTraining) : null,
      });
    const id = Number(lastInsertRowid);
    db.prepare(`UPDATE models SET checkpoint_dir = ? WHERE id = ?`).run(m.checkpointDir(id), id);
    return getModel(db, id)!;
  })();
}

export function getModel(db: Db, id: number): ModelRow | undefined {
  return db.prepare(`SELECT * FROM models WHERE id = ?`).get(id) as ModelRow | undefined;
}

export function listModels(db: Db): ModelRow[] {
  return db.prepare(`SELECT * FROM models ORDER BY id DESC`).all() as ModelRow[];
}

/** Deletes the row; runs made from the model keep their own checkpoints (their model_id becomes NULL). */
export function deleteModel(db: Db, id: number): boolean {
  return db.prepare(`DELETE FROM models WHERE id = ?`).run(id).changes > 0;
}

/** Where a model's checkpoint went (another folder when its default name was taken). */
export function setModelCheckpointDir(db: Db, id: number, dir: string): void {
  db.prepare(`UPDATE models SET checkpoint_dir = ? WHERE id = ?`).run(dir, id);
}

/** Links a run to the imported model it was made from. */
export function setRunModel(db: Db, runId: number, modelId: number): void {
  db.prepare(`UPDATE runs SET model_id = ? WHERE id = ?`).run(modelId, runId);
}

/** The imported model a run was made from, if any (and not removed since). */
export function modelOfRun(db: Db, runId: number): number | null {
  const row = db.prepare(`SELECT model_id FROM runs WHERE id = ?`).get(runId) as { model_id: number | null } | undefined;
  return row?.model_id ?? null;
}
