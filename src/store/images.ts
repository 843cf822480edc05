import type { InspectedImage } from '../shared/jobs/inspect';
import type { ScannedImage } from '../shared/jobs/scan';
import type { Db } from './db';
import { prepared } from './statements';

/** What the store keeps per image: the walk's facts plus, once read, the inspection. */
export type ImageRecord = ScannedImage & Partial<Omit<InspectedImage, 'relPath'>>;

export interface ImageRow {
  id: number;
  dataset_id: number;
  rel_path: string;
  class_name: string;
  split: 'train' | 'val' | null;
  bytes: number;
  mtime_ms: number;
  status: 'pending' | 'ok' | 'unreadable';
  error: string | null;
  width: number | null;
  height: number | null;
  format: string | null;
  hash: string | null;
}

/**
 * Makes the dataset's image rows equal `records`: updates rows in place (ids stay stable, so the
 * renderer's image ids survive a rescan), inserts new ones, deletes the rest. Call inside a transaction.
 */
export function replaceImages(db: Db, datasetId: number, records: readonly ImageRecord[]): void {
  const existing = new Map(
    (
      prepared(db, `SELECT id, rel_path FROM images WHERE dataset_id = ?`).all(datasetId) as { id: number; rel_path: string }[]
    ).map((r) => [r.rel_path, r.id]),
  );
  const upsert = prepared(
    db,
    `
    INSERT INTO images (dataset_id, rel_path, class_name, split, bytes, mtime_ms, status, error, width, height, format, hash,
                        mean_r, mean_g, mean_b, meansq_r, meansq_g, meansq_b)
    VALUES (@datasetId, @relPath, @className, @split, @bytes, @mtimeMs, @status, @error, @width, @height, @format, @hash,
            @meanR, @meanG, @meanB, @sqR, @sqG, @sqB)
    ON CONFLICT(dataset_id, rel_path) DO UPDATE SET
      class_name = excluded.class_name, split = excluded.split, bytes = excluded.bytes, mtime_ms = excluded.mtime_ms,
      status = excluded.status, error = excluded.error, width = excluded.width, height = excluded.height,
      format = excluded.format, hash = excluded.hash, mean_r = excluded.mean_r, mean_g = excluded.mean_g,
      mean_b = excluded.mean_b, meansq_r = excluded.meansq_r, meansq_g = excluded.meansq_g, meansq_b = excluded.meansq_b`,
  );
  const seen = new Set<string>();
  for (const r of records) {
    if (seen.has(r.relPath)) throw new Error(`Image listed twice: ${r.relPath}`);
    seen.add(r.relPath);
    const [meanR, meanG, meanB] = r.channelMean ?? [null, null, null];
    const [sqR, sqG, sqB] = r.channelMeanSquare ?? [null, null, null];
    upsert.run({
      datasetId,
      relPath: r.relPath,
      className: r.className,
      split: r.split,
      bytes: r.bytes,
      mtimeMs: r.mtimeMs,
      status: r.status ?? 'pending',
      error: r.error ?? null,
      width: r.width ?? null,
      height: r.height ?? null,
      format: r.format ?? null,
      hash: r.hash ?? null,
      meanR,
      meanG,
      meanB,
      sqR,
      sqG,
      sqB,
    });
  }
  const remove = prepared(db, `DELETE FROM images WHERE id = ?`);
  for (const [relPath, id] of existing) if (!seen.has(relPath)) remove.run(id);
}

/** Stored inspections by path, with the size and mtime they were made for (a rescan reuses unchanged ones). */
export function storedInspections(db: Db, datasetId: number): Map<string, ImageRecord> {
  const rows = prepared(
    db,
    `SELECT rel_path, class_name, split, bytes, mtime_ms, status, error, width, height, format, hash,
              mean_r, mean_g, mean_b, meansq_r, meansq_g, meansq_b
         FROM images WHERE dataset_id = ? AND status != 'pending'`,
  ).all(datasetId) as (ImageRow & Record<'mean_r' | 'mean_g' | 'mean_b' | 'meansq_r' | 'meansq_g' | 'meansq_b', number | null>)[];
  return new Map(
    rows.map((r) => [
      r.rel_path,
      {
        relPath: r.rel_path,
        className: r.class_name,
        split: r.split,
        bytes: r.bytes,
        mtimeMs: r.mtime_ms,
        status: r.status === 'ok' ? 'ok' : 'unreadable',
        error: r.error,
        width: r.width,
        height: r.height,
        format: r.format,
        hash: r.hash,
        channelMean: r.mean_r === null ? null : [r.mean_r, r.mean_g!, r.mean_b!],
        channelMeanSquare: r.meansq_r === null ? null : [r.meansq_r, r.meansq_g!, r.meansq_b!],
      },
    ]),
  );
}

export function getImage(db: Db, imageId: number): ImageRow | undefined {
  return prepared(db, `SELECT * FROM images WHERE id = ?`).get(imageId) as ImageRow | undefined;
}

export interface ImagePageOptions {
  className?: string;
  split?: 'train' | 'val';
  offset: number;
  limit: number;
}

/** One page of a dataset's images in path order, optionally one class / split (the thumbnail grid). */
export function listImages(db: Db, datasetId: number, options: ImagePageOptions): { total: number; rows: ImageRow[] } {
  const where = `dataset_id = @datasetId AND (@className IS NULL OR class_name = @className) AND (@split IS NULL OR split = @split)`;
  const params = { datasetId, className: options.className ?? null, split: options.split ?? null };
  const total = (prepared(db, `SELECT COUNT(*) AS n FROM images WHERE ${where}`).get(params) as { n: number }).n;
  const rows = prepared(db, `SELECT * FROM images WHERE ${where} ORDER BY class_name, rel_path LIMIT @limit OFFSET @offset`).all({
    ...params,
    limit: options.limit,
    offset: options.offset,
  }) as ImageRow[];
  return { total, rows };
}

/** Usable images of one split (or all), in path order: what a DataSpec lists. */
export function usableImages(db: Db, datasetId: number, split?: 'train' | 'val'): { relPath: string; className: string }[] {
  return (
    prepared(
      db,
      `SELECT rel_path, class_name FROM images
          WHERE dataset_id = ? AND status = 'ok' AND (? IS NULL OR split = ?) ORDER BY rel_path`,
    ).all(datasetId, split ?? null, split ?? null) as { rel_path: string; class_name: string }[]
  ).map((r) => ({ relPath: r.rel_path, className: r.class_name }));
}

/** Distinct image sizes (after EXIF orientation) with how many usable images have each: the input of apparent-size analyses. */
export function imageSizes(
  db: Db,
  datasetId: number,
  split?: 'train' | 'val',
): { width: number; height: number; count: number }[] {
  return prepared(
    db,
    `SELECT width, height, COUNT(*) AS count FROM images
        WHERE dataset_id = ? AND status = 'ok' AND (? IS NULL OR split = ?)
        GROUP BY width, height ORDER BY count DESC, width, height`,
  ).all(datasetId, split ?? null, split ?? null) as { width: number; height: number; count: number }[];
}

/** Sets each image's split (a seeded split of a dataset without val folders). */
export function assignSplits(db: Db, assignments: readonly { id: number; split: 'train' | 'val' }[]): void {
  const update = prepared(db, `UPDATE images SET split = ? WHERE id = ?`);
  db.transaction(() => {
    for (const a of assignments) update.run(a.split, a.id);
  })();
}

/** Every image's id, path and class in path order (re-splitting without a rescan). */
export function imageKeys(db: Db, datasetId: number): { id: number; relPath: string; className: string }[] {
  return prepared(
    db,
    `SELECT id, rel_path AS relPath, class_name AS className FROM images WHERE dataset_id = ? ORDER BY rel_path`,
  ).all(datasetId) as { id: number; relPath: string; className: string }[];
}

/** Images of a dataset that can be used (unreadable files are problems, not images of a class). */
export function countImages(db: Db, datasetId: number): number {
  return (
    prepared(db, `SELECT COUNT(*) AS n FROM images WHERE dataset_id = ? AND status != 'unreadable'`).get(datasetId) as {
      n: number;
    }
  ).n;
}

/** Content hashes of a dataset's images that no other dataset holds: their thumbnails go when it is forgotten. */
export function hashesOnlyIn(db: Db, datasetId: number): string[] {
  return (
    db
      .prepare(
        `SELECT DISTINCT hash FROM images WHERE dataset_id = ? AND hash IS NOT NULL
           AND hash NOT IN (SELECT hash FROM images WHERE dataset_id != ? AND hash IS NOT NULL)`,
      )
      .all(datasetId, datasetId) as { hash: string }[]
  ).map((r) => r.hash);
}
