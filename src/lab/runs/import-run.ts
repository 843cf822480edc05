import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { headFor } from '../../core/head-plan';
import type { FrozenRunConfig, RunConfig } from '../../shared/api/runs';
import { ModelPreprocessing } from '../../shared/api/models';
import { userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import { getModel, type ModelRow } from '../../store/models';
import { missingRow } from '../missing-row';

type InitModel = NonNullable<FrozenRunConfig['initModel']>;

/** What an import run takes from its imported model before the dataset is read: what it is and how it normalises. */
export interface ImportRunBase {
  model: ModelRow;
  /** The run's config with the model's architecture, width and depth (the file decides them, not the request). */
  config: RunConfig;
  normalizeValues: FrozenRunConfig['normalizeValues'];
}

/** The imported model `cfg.modelId` and the run config it implies. */
export function importRunBase(db: Db, cfg: RunConfig & { modelId: number }): ImportRunBase {
  const model = getModel(db, cfg.modelId);
  if (!model) throw missingRow(db, 'model', cfg.modelId, 'modelId');
  const preprocessing = ModelPreprocessing.parse(JSON.parse(model.preprocessing));
  const blocks = model.blocks ? (JSON.parse(model.blocks) as [number, number, number]) : undefined;
  return {
    model,
    config: { ...cfg, arch: model.arch as RunConfig['arch'], width: model.width, blocks },
    normalizeValues: { mean: preprocessing.mean, std: preprocessing.std },
  };
}

/**
 * How an import run starts on a dataset with `classNames`: the model's classifier kept,
 * reordered to the dataset's classes, or new — then the run trains the classifier alone on the
 * frozen trunk (a linear probe) at K_train before any FixRes step.
 */
export function importRunInit(
  base: ImportRunBase,
  classNames: readonly string[],
): { initModel: InitModel; trainable: FrozenRunConfig['trainable'] } {
  const { model, config } = base;
  const names = model.class_names ? (JSON.parse(model.class_names) as string[]) : null;
  const head = headFor({ numClasses: model.num_classes, classNames: names }, classNames, config.seed);
  return {
    initModel: { modelId: model.id, dir: model.checkpoint_dir, head },
    trainable: head.kind === 'new' ? 'classifier' : (config.trainable ?? 'classifier'),
  };
}

/** Refuses to go on when the imported model's checkpoint is gone (the model was removed). */
export function assertModelCheckpoint(init: InitModel): void {
  if (!existsSync(join(init.dir, 'latest.json'))) {
    throw userError(
      `The imported model #${init.modelId} this run starts from was removed; import it again`,
      undefined,
      'NotFound',
    );
  }
}
