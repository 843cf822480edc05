import type { Db } from './db';
import { prepared } from './statements';

export interface ImageRef {
  id: number;
  relPath: string;
  className: string;
  split: 'train' | 'val' | null;
}

export interface Listing<T> {
  total: number;
  items: T[];
}

const REF = `id, rel_path AS relPath, class_name AS className, split`;

export function formatCounts(db: Db, datasetId: number): { format: string; count: number }[] {
  return prepared(
    db,
    `SELECT format, COUNT(*) AS count FROM images WHERE dataset_id = ? AND status = 'ok'
        GROUP BY format ORDER BY count DESC, format`,
  ).all(datasetId) as { format: string; count: number }[];
}

export function unreadableImages(db: Db, datasetId: number, limit: number): Listing<ImageRef & { reason: string }> {
  const total = count(db, `SELECT COUNT(*) AS n FROM images WHERE dataset_id = ? AND status = 'unreadable'`, datasetId);
  const items = prepared(
    db,
    `SELECT ${REF}, error AS reason FROM images WHERE dataset_id = ? AND status = 'unreadable' ORDER BY rel_path LIMIT ?`,
  ).all(datasetId, limit) as (ImageRef & { reason: string })[];
  return { total, items };
}

/** Usable images whose shorter side is below `minSide`, smallest first. */
export function tinyImages(
  db: Db,
  datasetId: number,
  limit: number,
  minSide: number,
): Listing<ImageRef & { width: number; height: number }> {
  const where = `dataset_id = ? AND status = 'ok' AND MIN(width, height) < ?`;
  const total = count(db, `SELECT COUNT(*) AS n FROM images WHERE ${where}`, datasetId, minSide);
  const items = prepared(
    db,
    `SELECT ${REF}, width, height FROM images WHERE ${where} ORDER BY MIN(width, height), rel_path LIMIT ?`,
  ).all(datasetId, minSide, limit) as (ImageRef & { width: number; height: number })[];
  return { total, items };
}

export function skippedFiles(db: Db, datasetId: number, limit: number): Listing<{ relPath: string; reason: string }> {
  const total = count(db, `SELECT COUNT(*) AS n FROM skipped_files WHERE dataset_id = ?`, datasetId);
  const items = prepared(
    db,
    `SELECT rel_path AS relPath, reason FROM skipped_files WHERE dataset_id = ? ORDER BY rel_path LIMIT ?`,
  ).all(datasetId, limit) as { relPath: string; reason: string }[];
  return { total, items };
}

export function replaceSkipped(db: Db, datasetId: number, skipped: readonly { relPath: string; reason: string }[]): void {
  prepared(db, `DELETE FROM skipped_files WHERE dataset_id = ?`).run(datasetId);
  const insert = prepared(db, `INSERT INTO skipped_files (dataset_id, rel_path, reason) VALUES (?, ?, ?)`);
  for (const s of skipped) insert.run(datasetId, s.relPath, s.reason);
}

export interface DuplicateGroup {
  hash: string;
  /** The copies sit in more than one class or more than one split: train/val leakage or label noise. */
  crossClass: boolean;
  crossSplit: boolean;
  images: ImageRef[];
}

/** Exact duplicates (same content hash), groups that cross classes or splits first. */
export function duplicateGroups(db: Db, datasetId: number, limit: number): Listing<DuplicateGroup> & { leaking: number } {
  const groups = prepared(
    db,
    `SELECT hash, COUNT(DISTINCT class_name) > 1 AS crossClass, COUNT(DISTINCT COALESCE(split, '')) > 1 AS crossSplit, COUNT(*) AS n
         FROM images WHERE dataset_id = ? AND status = 'ok' AND hash IS NOT NULL
        GROUP BY hash HAVING n > 1
        ORDER BY (crossClass OR crossSplit) DESC, n DESC, hash`,
  ).all(datasetId) as { hash: string; crossClass: number; crossSplit: number; n: number }[];
  const members = prepared(db, `SELECT ${REF} FROM images WHERE dataset_id = ? AND hash = ? ORDER BY rel_path`);
  const items = groups.slice(0, limit).map((g) => ({
    hash: g.hash,
    crossClass: g.crossClass === 1,
    crossSplit: g.crossSplit === 1,
    images: members.all(datasetId, g.hash) as ImageRef[],
  }));
  return { total: groups.length, leaking: groups.filter((g) => g.crossClass || g.crossSplit).length, items };
}

/** Per-channel mean and std of the usable images' pixels (0..1), each image weighted equally. */
export function channelStatistics(
  db: Db,
  datasetId: number,
  split?: 'train' | 'val',
): { mean: number[]; std: number[]; images: number } | null {
  const row = prepared(
    db,
    `SELECT COUNT(*) AS n, AVG(mean_r) AS r, AVG(mean_g) AS g, AVG(mean_b) AS b,
              AVG(meansq_r) AS rr, AVG(meansq_g) AS gg, AVG(meansq_b) AS bb
         FROM images WHERE dataset_id = ? AND status = 'ok' AND mean_r IS NOT NULL AND (? IS NULL OR split = ?)`,
  ).get(datasetId, split ?? null, split ?? null) as Record<'n' | 'r' | 'g' | 'b' | 'rr' | 'gg' | 'bb', number>;
  if (!row.n) return null;
  const mean = [row.r, row.g, row.b];
  const sq = [row.rr, row.gg, row.bb];
  return { mean, std: mean.map((m, c) => Math.sqrt(Math.max(sq[c]! - m * m, 1e-12))), images: row.n };
}

function count(db: Db, sql: string, ...params: unknown[]): number {
  return (prepared(db, sql).get(...params) as { n: number }).n;
}
