import type { Db } from './db';
import type { ScannedImage } from '../shared/engine-protocol';

export interface DatasetRow {
  id: number;
  root: string;
  name: string;
  layout: string;
  status: 'scanning' | 'ready' | 'failed';
  error: string | null;
  scanned_at: string | null;
}

export interface ClassCountRow {
  name: string;
  count: number;
  train: number;
  val: number;
}

/** Inserts a dataset for `root`, or returns the existing one (a root is opened once). */
export function upsertDataset(db: Db, root: string, name: string): DatasetRow {
  db.prepare(`INSERT INTO datasets (root, name) VALUES (?, ?) ON CONFLICT(root) DO NOTHING`).run(root, name);
  return db.prepare(`SELECT * FROM datasets WHERE root = ?`).get(root) as DatasetRow;
}

export function getDataset(db: Db, id: number): DatasetRow | undefined {
  return db.prepare(`SELECT * FROM datasets WHERE id = ?`).get(id) as DatasetRow | undefined;
}

export function listDatasets(db: Db): DatasetRow[] {
  return db.prepare(`SELECT * FROM datasets ORDER BY id`).all() as DatasetRow[];
}

export function deleteDataset(db: Db, id: number): boolean {
  return db.prepare(`DELETE FROM datasets WHERE id = ?`).run(id).changes > 0;
}

export function markScanning(db: Db, id: number): void {
  db.prepare(`UPDATE datasets SET status = 'scanning', error = NULL WHERE id = ?`).run(id);
}

export function markScanFailed(db: Db, id: number, error: string): void {
  db.prepare(`UPDATE datasets SET status = 'failed', error = ? WHERE id = ?`).run(error, id);
}

/** Replaces a dataset's image list with a finished scan, all or nothing. */
export function saveScan(db: Db, id: number, layout: string, images: readonly ScannedImage[]): void {
  const insert = db.prepare(
    `INSERT INTO images (dataset_id, rel_path, class_name, split, bytes, mtime_ms) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    db.prepare(`DELETE FROM images WHERE dataset_id = ?`).run(id);
    for (const img of images) insert.run(id, img.relPath, img.className, img.split, img.bytes, img.mtimeMs);
    db.prepare(
      `UPDATE datasets SET layout = ?, status = 'ready', error = NULL,
         scanned_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
    ).run(layout, id);
  })();
}

export function classCounts(db: Db, id: number): ClassCountRow[] {
  return db
    .prepare(
      `SELECT class_name AS name, COUNT(*) AS count,
              SUM(split = 'train') AS train, SUM(split = 'val') AS val
         FROM images WHERE dataset_id = ? GROUP BY class_name ORDER BY class_name`,
    )
    .all(id)
    .map((r) => {
      const row = r as { name: string; count: number; train: number | null; val: number | null };
      return { name: row.name, count: row.count, train: row.train ?? 0, val: row.val ?? 0 };
    });
}
