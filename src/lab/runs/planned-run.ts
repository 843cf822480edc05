import type { RunConfig } from '../../shared/api/runs';
import { userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import { getDataset } from '../../store/datasets';
import * as store from '../../store/runs';
import { missingRow } from '../missing-row';
import { importRunBase, importRunInit } from './import-run';
import { refuseIfTooLarge } from './memory-preflight';
import { freezeRunConfig, resolveRunConfig } from './run-config';
import { runDataSpecs } from './run-data';
import { toRun } from './run-view';

/** A run as it would be stored (kind, name, parent, dataset, frozen config) and the imported model it starts from. */
export type PlannedRun = Omit<store.NewRun, 'checkpointDir'> & { modelId: number | null };

/**
 * Checks `cfg` against the store (dataset ready with two classes, a batch of images, the parent's
 * checkpoint, the memory it needs on `backendInUse`), resolves its defaults and freezes it:
 * what RunService.start stores, without storing or starting anything.
 */
export function planRun(db: Db, cfg: RunConfig, backendInUse?: () => string | null): PlannedRun {
  const dataset = getDataset(db, cfg.datasetId);
  if (!dataset) throw missingRow(db, 'dataset', cfg.datasetId, 'datasetId');
  if (dataset.status !== 'ready')
    throw userError(`Dataset "${dataset.name}" is not ready (${dataset.status})`, 'datasetId', 'Conflict');
  const parent = cfg.parentRunId ? parentOf(db, cfg.parentRunId) : null;
  const imported = cfg.modelId !== undefined ? importRunBase(db, { ...cfg, modelId: cfg.modelId }) : null;
  if (imported) cfg = imported.config;
  // A fine-tune normalises its inputs exactly as its parent was trained to; an import run as its model was.
  const inherited = parent
    ? { normalizeValues: toRun(parent).config.normalizeValues }
    : imported
      ? { normalizeValues: imported.normalizeValues }
      : {};
  const specs = runDataSpecs(db, dataset.id, { ...resolveRunConfig(cfg, { isFineTune: parent !== null }), ...inherited });
  if (specs.train.classNames.length < 2) {
    throw userError(`Dataset "${dataset.name}" needs at least two classes to train a classifier`, 'datasetId');
  }
  const init = imported ? importRunInit(imported, specs.train.classNames) : null;
  // An imported model whose classifier fits trains nothing, so it needs no full batch.
  const trains = !init || init.initModel.head.kind === 'new';
  if (trains && specs.train.items.length < cfg.batchSize) {
    throw userError(`Only ${specs.train.items.length} training images, fewer than one batch of ${cfg.batchSize}`, 'batchSize');
  }
  refuseIfTooLarge(cfg, specs.train.classNames.length, cfg.backend ?? backendInUse?.() ?? null, parent !== null);
  const frozen = freezeRunConfig(cfg, { isFineTune: parent !== null, specs });
  if (init) Object.assign(frozen, init);
  return {
    kind: parent ? 'finetune' : imported ? 'import' : 'train',
    name: cfg.name || runName(cfg, dataset.name, parent?.id ?? null, imported?.model.name ?? null),
    parentId: parent?.id ?? null,
    datasetId: dataset.id,
    config: frozen,
    modelId: imported?.model.id ?? null,
  };
}

/** The run a fine-tune starts from, or an error that says why it cannot. */
function parentOf(db: Db, parentId: number): store.RunRow {
  const parent = store.getRun(db, parentId);
  if (!parent) throw missingRow(db, 'run', parentId, 'parentRunId');
  if (parent.checkpoint_epoch === null)
    throw userError(`Run ${parentId} has no checkpoint to fine-tune from`, 'parentRunId', 'Conflict');
  return parent;
}

/** A run's default name: what it trains at on which dataset, from what. */
function runName(cfg: RunConfig, dataset: string, parentId: number | null, model: string | null): string {
  if (model) return `${model} on ${dataset}`;
  return `${cfg.arch} K${cfg.kTrain}${parentId ? ` fine-tune of #${parentId}` : ''} on ${dataset}`;
}
