import { ExternalTraining, Model, ModelPreprocessing } from '../../shared/api/models';
import type { ModelRow } from '../../store/models';

/** A stored model as the API shows it (its JSON columns read through their schemas). */
export function toModel(row: ModelRow): Model {
  return Model.parse({
    id: row.id,
    name: row.name,
    arch: row.arch,
    width: row.width,
    blocks: row.blocks ? JSON.parse(row.blocks) : null,
    numClasses: row.num_classes,
    classNames: row.class_names ? JSON.parse(row.class_names) : null,
    preprocessing: ModelPreprocessing.parse(JSON.parse(row.preprocessing)),
    file: row.file,
    sha256: row.sha256,
    format: row.format,
    bytes: row.bytes,
    weightsAt: row.weights_at,
    strippedPrefix: row.stripped_prefix,
    params: row.params,
    importSeconds: row.import_seconds,
    recipeRunId: row.recipe_run_id ?? null,
    externalTraining: row.external_training ? ExternalTraining.parse(JSON.parse(row.external_training)) : null,
    createdAt: row.created_at,
  });
}
