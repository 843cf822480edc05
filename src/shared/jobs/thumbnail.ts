import { z } from 'zod';

/** Render one image of a dataset small (grid thumbnail, cached to `outFile`) or large (preview). */
export const ThumbnailInput = z
  .object({
    root: z.string().min(1),
    relPath: z.string().min(1),
    maxSide: z.number().int().positive(),
    /** Where to write the WebP; without it the bytes are returned. */
    outFile: z.string().min(1).optional(),
  })
  .strict();
export type ThumbnailInput = z.infer<typeof ThumbnailInput>;

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
