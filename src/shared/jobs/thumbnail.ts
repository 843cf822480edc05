/** Render one image of a dataset small (grid thumbnail, cached to `outFile`) or large (preview). */
export interface ThumbnailInput {
  root: string;
  relPath: string;
  maxSide: number;
  /** Where to write the WebP; without it the bytes are returned. */
  outFile?: string;
}

export interface ThumbnailResult {
  /** WebP bytes (empty when written to outFile). */
  bytes: Uint8Array;
  width: number;
  height: number;
}

export interface ThumbnailJob {
  input: ThumbnailInput;
  progress: never;
  result: ThumbnailResult;
}
