import { SQL_NOW, type Db } from './db';
import { prepared } from './statements';
import { replaceImages, type ImageRecord } from './images';
import { replaceSkipped } from './inspection';

export type SplitSource = 'folders' | 'manifest' | 'seeded';

export interface DatasetRow {
  id: number;
  root: string;
  name: string;
  layout: string;
  status: 'scanning' | 'ready' | 'failed';
  error: string | null;
  scanned_at: string | null;
  manifest: string | null;
  val_fraction: number;
  split_seed: number;
  split_source: SplitSource;
}

export interface ClassCountRow {
  name: string;
  count: number;
  train: number;
  val: number;
}

/** Inserts a dataset for `root` (and manifest), or returns the existing one (a root is opened once). */
export function upsertDataset(db: Db, root: string, name: string, manifest: string | null = null): DatasetRow {
  prepared(
    db,
    `INSERT INTO datasets (root, name, manifest) VALUES (?, ?, ?) ON CONFLICT(root) DO UPDATE SET manifest = excluded.manifest`,
  ).run(root, name, manifest);
  return prepared(db, `SELECT * FROM datasets WHERE root = ?`).get(root) as DatasetRow;
}

export function getDataset(db: Db, id: number): DatasetRow | undefined {
  return prepared(db, `SELECT * FROM datasets WHERE id = ?`).get(id) as DatasetRow | undefined;
}

export function listDatasets(db: Db): DatasetRow[] {
  return prepared(db, `SELECT * FROM datasets ORDER BY id`).all() as DatasetRow[];
}

export function deleteDataset(db: Db, id: number): boolean {
  return prepared(db, `DELETE FROM datasets WHERE id = ?`).run(id).changes > 0;
}

export function markScanning(db: Db, id: number): void {
  prepared(db, `UPDATE datasets SET status = 'scanning', error = NULL WHERE id = ?`).run(id);
}

export function markScanFailed(db: Db, id: number, error: string): void {
  prepared(db, `UPDATE datasets SET status = 'failed', error = ? WHERE id = ?`).run(error, id);
}

/** Back to 'ready' with the previous scan's data (a cancelled rescan). */
export function markReady(db: Db, id: number): void {
  prepared(db, `UPDATE datasets SET status = 'ready', error = NULL WHERE id = ?`).run(id);
}

export function hasImages(db: Db, id: number): boolean {
  return prepared(db, `SELECT 1 FROM images WHERE dataset_id = ? LIMIT 1`).get(id) !== undefined;
}

export interface SaveScanExtras {
  skipped?: readonly { relPath: string; reason: string }[];
  splitSource?: SplitSource;
}

/** Replaces a dataset's images (and skipped files) with a finished scan, all or nothing. */
export function saveScan(db: Db, id: number, layout: string, images: readonly ImageRecord[], extras: SaveScanExtras = {}): void {
  db.transaction(() => {
    replaceImages(db, id, images);
    replaceSkipped(db, id, extras.skipped ?? []);
    prepared(
      db,
      `UPDATE datasets SET layout = ?, status = 'ready', error = NULL, split_source = ?,
         scanned_at = ${SQL_NOW} WHERE id = ?`,
    ).run(layout, extras.splitSource ?? 'folders', id);
  })();
}

export function setSplitSettings(db: Db, id: number, valFraction: number, seed: number): void {
  prepared(db, `UPDATE datasets SET val_fraction = ?, split_seed = ? WHERE id = ?`).run(valFraction, seed, id);
}

/** Images per class and split; unreadable files are not counted (they are listed as problems). */
export function classCounts(db: Db, id: number): ClassCountRow[] {
  return prepared(
    db,
    `SELECT class_name AS name, COUNT(*) AS count,
              SUM(split = 'train') AS train, SUM(split = 'val') AS val
         FROM images WHERE dataset_id = ? AND status != 'unreadable' GROUP BY class_name ORDER BY class_name`,
  )
    .all(id)
    .map((r) => {
      const row = r as { name: string; count: number; train: number | null; val: number | null };
      return { name: row.name, count: row.count, train: row.train ?? 0, val: row.val ?? 0 };
    });
}
