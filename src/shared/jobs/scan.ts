import { z } from 'zod';

/** A file found by a dataset scan. Paths are relative to the dataset root, with '/' separators. */
export interface ScannedImage {
  relPath: string;
  className: string;
  split: 'train' | 'val' | null;
  bytes: number;
  mtimeMs: number;
}

/** A file passed over by the scan, with the reason. */
export interface SkippedFile {
  relPath: string;
  reason: string;
}

export type DatasetLayout = 'imagefolder' | 'imagefolder-split' | 'manifest';

export const ScanInput = z
  .object({
    root: z.string().min(1),
    /** A CSV manifest (`path,label[,split]`) relative to root; without it the folder tree is the layout. */
    manifest: z.string().min(1).optional(),
  })
  .strict();
export type ScanInput = z.infer<typeof ScanInput>;

/** What the walk finds, in full (engine side; the job streams it in chunks). */
export interface ScanResult {
  layout: DatasetLayout;
  classNames: string[];
  images: ScannedImage[];
  skipped: SkippedFile[];
}

/**
 * Progress of a scan job. The file lists travel as chunks so 20 000 images never make one
 * giant message: `walk` counts files, `images`/`skipped` carry the next slice of the lists.
 */
export type ScanProgressMessage =
  { kind: 'walk'; filesSeen: number } | { kind: 'images'; images: ScannedImage[] } | { kind: 'skipped'; skipped: SkippedFile[] };

/** The job's final message; every image and skipped file was sent before it as progress chunks. */
export interface ScanSummary {
  layout: DatasetLayout;
  classNames: string[];
  imageCount: number;
  skippedCount: number;
}

export interface ScanJob {
  input: ScanInput;
  progress: ScanProgressMessage;
  result: ScanSummary;
}
