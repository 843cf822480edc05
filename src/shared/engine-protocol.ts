import type { ErrorInfo } from './errors';

/** A file found by a dataset scan. Paths are relative to the dataset root, with '/' separators. */
export interface ScannedImage {
  relPath: string;
  className: string;
  split: 'train' | 'val' | null;
  bytes: number;
  mtimeMs: number;
}

export interface ScanInput {
  root: string;
}

export interface ScanResult {
  layout: 'imagefolder' | 'imagefolder-split';
  classNames: string[];
  images: ScannedImage[];
  /** Files that were passed over, with the reason. */
  skipped: { relPath: string; reason: string }[];
}

export interface ScanProgressMessage {
  filesSeen: number;
}

/** Every job the engine process runs: its input, progress and result types. */
export interface EngineJobs {
  scan: { input: ScanInput; progress: ScanProgressMessage; result: ScanResult };
}

export type JobKind = keyof EngineJobs;

export type ToEngine =
  | { [K in JobKind]: { type: 'start'; jobId: string; kind: K; input: EngineJobs[K]['input'] } }[JobKind]
  | { type: 'cancel'; jobId: string };

export type FromEngine =
  | { type: 'ready'; pid: number }
  | { type: 'progress'; jobId: string; progress: unknown }
  | { type: 'result'; jobId: string; result: unknown }
  | { type: 'error'; jobId: string; error: ErrorInfo };
