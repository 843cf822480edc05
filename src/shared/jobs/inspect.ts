import { z } from 'zod';

/** What reading one image tells us: size, format, content hash, colour statistics, or why it is unusable. */
export interface InspectedImage {
  relPath: string;
  status: 'ok' | 'unreadable';
  error: string | null;
  /** Size as the pipeline sees it (EXIF orientation applied). */
  width: number | null;
  height: number | null;
  format: string | null;
  /** SHA-1 of the file's bytes (exact-duplicate detection). */
  hash: string | null;
  /** Per-channel mean and mean of squares of the 0..1 pixel values (on the thumbnail), for dataset normalisation. */
  channelMean: [number, number, number] | null;
  channelMeanSquare: [number, number, number] | null;
}

export const InspectInput = z
  .object({
    root: z.string().min(1),
    relPaths: z.array(z.string()),
    /** Folder for cached thumbnails (`<hash>.webp` in two-letter sub-folders). */
    thumbDir: z.string().min(1),
    thumbSide: z.number().int().positive(),
  })
  .strict();
export type InspectInput = z.infer<typeof InspectInput>;

/** Results travel in chunks as they are ready. */
export interface InspectProgress {
  done: number;
  images: InspectedImage[];
}

export interface InspectJob {
  input: InspectInput;
  progress: InspectProgress;
  result: { done: number };
}

/** Where the thumbnail of content `hash` lives under the thumbnail folder (two-letter sub-folders keep folders small). */
export function thumbnailFile(hash: string): string {
  return `${hash.slice(0, 2)}/${hash}.webp`;
}
