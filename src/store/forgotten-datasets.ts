import { createHash } from 'node:crypto';
import type { Db } from './db';

/** A forgotten dataset that runs or workflows still refer to. */
export interface ForgottenDatasetRow {
  id: number;
  root: string;
  manifest: string | null;
  name: string;
  val_fraction: number;
  split_seed: number;
  fingerprint: string;
  images: number;
  forgotten_at: string;
}

/**
 * What a trained run depends on in its dataset: each readable image's class, split and content
 * hash (not its path: renamed files are the same data). Equal fingerprints mean the same classes,
 * the same training images and the same validation images.
 */
export function datasetFingerprint(db: Db, datasetId: number): { fingerprint: string; images: number } {
  const rows = db
    .prepare(
      `SELECT class_name, split, hash FROM images WHERE dataset_id = ? AND status = 'ok'
        ORDER BY class_name, split, hash`,
    )
    .all(datasetId) as { class_name: string; split: string | null; hash: string | null }[];
  const digest = createHash('sha256');
  for (const r of rows) digest.update(`${r.class_name}\t${r.split ?? ''}\t${r.hash ?? ''}\n`);
  return { fingerprint: digest.digest('hex'), images: rows.length };
}

/**
 * Deletes a dataset in one transaction. If runs or workflows refer to it, it is remembered first
 * (folder, split settings, fingerprint) and they point at that record, so opening the same folder
 * again can reattach them. Returns whether a dataset was deleted.
 */
export function forgetDataset(db: Db, datasetId: number): boolean {
  return db.transaction(() => {
    const dataset = db.prepare(`SELECT * FROM datasets WHERE id = ?`).get(datasetId) as
      { root: string; manifest: string | null; name: string; val_fraction: number; split_seed: number } | undefined;
    if (!dataset) return false;
    const used =
      db
        .prepare(`SELECT 1 FROM runs WHERE dataset_id = ? UNION ALL SELECT 1 FROM workflows WHERE dataset_id = ? LIMIT 1`)
        .get(datasetId, datasetId) !== undefined;
    if (used) {
      const { fingerprint, images } = datasetFingerprint(db, datasetId);
      const { lastInsertRowid } = db
        .prepare(
          `INSERT INTO forgotten_datasets (root, manifest, name, val_fraction, split_seed, fingerprint, images)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(dataset.root, dataset.manifest, dataset.name, dataset.val_fraction, dataset.split_seed, fingerprint, images);
      for (const table of ['runs', 'workflows'])
        db.prepare(`UPDATE ${table} SET forgotten_dataset_id = ? WHERE dataset_id = ?`).run(lastInsertRowid, datasetId);
    }
    return db.prepare(`DELETE FROM datasets WHERE id = ?`).run(datasetId).changes > 0;
  })();
}

/** Forgotten datasets of this folder (and manifest), newest first. */
export function forgottenAt(db: Db, root: string, manifest: string | null): ForgottenDatasetRow[] {
  return db
    .prepare(`SELECT * FROM forgotten_datasets WHERE root = ? AND manifest IS ? ORDER BY id DESC`)
    .all(root, manifest) as ForgottenDatasetRow[];
}

export function getForgottenDataset(db: Db, id: number): ForgottenDatasetRow | undefined {
  return db.prepare(`SELECT * FROM forgotten_datasets WHERE id = ?`).get(id) as ForgottenDatasetRow | undefined;
}

/** Points a forgotten dataset's runs and workflows at `datasetId` and drops the record; returns their ids. */
export function reattach(db: Db, forgottenId: number, datasetId: number): { runIds: number[]; workflowIds: number[] } {
  return db.transaction(() => {
    const ids = (table: string) =>
      (db.prepare(`SELECT id FROM ${table} WHERE forgotten_dataset_id = ?`).all(forgottenId) as { id: number }[]).map(
        (r) => r.id,
      );
    const attached = { runIds: ids('runs'), workflowIds: ids('workflows') };
    for (const table of ['runs', 'workflows'])
      db.prepare(`UPDATE ${table} SET dataset_id = ?, forgotten_dataset_id = NULL WHERE forgotten_dataset_id = ?`).run(
        datasetId,
        forgottenId,
      );
    db.prepare(`DELETE FROM forgotten_datasets WHERE id = ?`).run(forgottenId);
    return attached;
  })();
}

/** The forgotten dataset a run or workflow refers to, if its dataset was forgotten (and not reattached). */
export function forgottenDatasetOf(db: Db, table: 'runs' | 'workflows', id: number): ForgottenDatasetRow | undefined {
  return db
    .prepare(`SELECT f.* FROM forgotten_datasets f JOIN ${table} t ON t.forgotten_dataset_id = f.id WHERE t.id = ?`)
    .get(id) as ForgottenDatasetRow | undefined;
}
