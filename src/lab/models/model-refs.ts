import type { ModelPreprocessing, ModelRef } from '../../shared/api/models';
import { ModelPreprocessing as PreprocessingSchema } from '../../shared/api/models';
import { userError } from '../../shared/errors';
import type { ArchName } from '../../shared/models/registry';
import type { Db } from '../../store/db';
import { usableImages } from '../../store/images';
import { getModel } from '../../store/models';
import { getRun } from '../../store/runs';
import { missingRow } from '../missing-row';

/** A model to run or export, wherever it lives: an imported model, or a run's latest checkpoint. */
export interface ResolvedModel {
  label: string;
  checkpointDir: string;
  arch: ArchName;
  width: number;
  numClasses: number;
  classNames: string[] | null;
  preprocessing: Omit<ModelPreprocessing, 'source'>;
}

/** Resolves a ModelRef to its checkpoint, classes and preprocessing (a run's: its own, K_test as its config froze it). */
export function resolveModelRef(db: Db, ref: ModelRef): ResolvedModel {
  if ('modelId' in ref) {
    const row = getModel(db, ref.modelId);
    if (!row) throw missingRow(db, 'model', ref.modelId, 'model');
    return {
      label: `model #${row.id} (${row.name})`,
      checkpointDir: row.checkpoint_dir,
      arch: row.arch as ArchName,
      width: row.width,
      numClasses: row.num_classes,
      classNames: row.class_names ? (JSON.parse(row.class_names) as string[]) : null,
      preprocessing: PreprocessingSchema.parse(JSON.parse(row.preprocessing)),
    };
  }
  const run = getRun(db, ref.runId);
  if (!run) throw missingRow(db, 'run', ref.runId, 'model');
  if (run.checkpoint_epoch === null || !run.checkpoint_dir)
    throw userError(`Run #${run.id} has no checkpoint yet`, 'model', 'Conflict');
  const cfg = run.config;
  const classNames = run.dataset_id === null ? null : datasetClassNames(db, run.dataset_id);
  return {
    label: `run #${run.id} (${run.name})`,
    checkpointDir: run.checkpoint_dir,
    arch: cfg.arch,
    width: cfg.width,
    numClasses: classNames?.length ?? 0,
    classNames,
    preprocessing: {
      inputSize: cfg.kTrain,
      testInputSize: cfg.kTest,
      cropPct: cfg.cropPct,
      mean: cfg.normalizeValues.mean,
      std: cfg.normalizeValues.std,
      interpolation: cfg.interpolation,
    },
  };
}

/** A dataset's class names in the order runs number them (sorted, as torchvision's ImageFolder does). */
export function datasetClassNames(db: Db, datasetId: number): string[] {
  return [...new Set(usableImages(db, datasetId).map((i) => i.className))].sort();
}
