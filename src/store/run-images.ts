import type { Db } from './db';

export interface ImageForRun {
  rel_path: string;
  class_name: string;
  split: 'train' | 'val' | null;
}

/** Every image of a dataset in a stable order (class, path): what a run's DataSpecs are built from. */
export function imagesForRun(db: Db, datasetId: number): ImageForRun[] {
  return db
    .prepare(`SELECT rel_path, class_name, split FROM images WHERE dataset_id = ? ORDER BY class_name, rel_path`)
    .all(datasetId) as ImageForRun[];
}
