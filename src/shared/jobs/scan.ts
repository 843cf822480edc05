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

export interface ScanJob {
  input: ScanInput;
  progress: ScanProgressMessage;
  result: ScanResult;
}
