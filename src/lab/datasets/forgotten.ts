import { userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import * as store from '../../store/datasets';
import { datasetFingerprint, forgottenAt, forgottenDatasetOf, reattach } from '../../store/forgotten-datasets';

/** Runs and workflows that got their dataset back. */
export interface Reattached {
  runIds: number[];
  workflowIds: number[];
}

/**
 * A folder opened again after it was forgotten starts with the split settings it had, so a seeded
 * split puts the same images in train and val as before (only then can its runs be reattached).
 */
export function restoreForgottenSplit(db: Db, row: store.DatasetRow): void {
  if (row.scanned_at !== null) return;
  const [latest] = forgottenAt(db, row.root, row.manifest);
  if (latest) store.setSplitSettings(db, row.id, latest.val_fraction, latest.split_seed);
}

/**
 * Reattaches the runs and workflows of this folder's forgotten datasets whose images are the same
 * (same classes, splits and content hashes) as the dataset's now. A folder whose images changed
 * leaves them detached: their checkpoints were trained on other data.
 */
export function reattachForgotten(db: Db, datasetId: number): Reattached {
  const row = store.getDataset(db, datasetId);
  const found: Reattached = { runIds: [], workflowIds: [] };
  if (!row || row.status !== 'ready') return found;
  const forgotten = forgottenAt(db, row.root, row.manifest);
  if (!forgotten.length) return found;
  const { fingerprint } = datasetFingerprint(db, datasetId);
  for (const f of forgotten) {
    if (f.fingerprint !== fingerprint) continue;
    const attached = reattach(db, f.id, datasetId);
    found.runIds.push(...attached.runIds);
    found.workflowIds.push(...attached.workflowIds);
  }
  return found;
}

/** Why a run or workflow has no dataset, and how to get it back. */
export function datasetGoneError(db: Db, table: 'runs' | 'workflows', id: number, field?: string): Error {
  const what = table === 'runs' ? `run #${id}` : `workflow #${id}`;
  const forgotten = forgottenDatasetOf(db, table, id);
  if (!forgotten)
    return userError(`The dataset of ${what} was removed. Open its folder again and start a new run.`, field, 'NotFound');
  const path = forgotten.manifest ? `${forgotten.root}/${forgotten.manifest}` : forgotten.root;
  return userError(
    `The dataset of ${what} ("${forgotten.name}") was forgotten. Open ${path} again with its images unchanged ` +
      `to reattach it (${forgotten.images} images, split ${Math.round(forgotten.val_fraction * 100)} % val, seed ${forgotten.split_seed}).`,
    field,
    'NotFound',
  );
}
