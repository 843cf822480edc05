import { z } from 'zod';

/** Generate the synthetic shapes dataset as `dir/{train,val}/<class>/<i>.png` (see core/synthetic-scene.ts). */
export const SynthInput = z
  .object({
    dir: z.string().min(1),
    classes: z.number().int().positive(),
    perClass: z.number().int().positive(),
    /** Shorter side of each image in pixels. */
    size: z.number().int().positive(),
    seed: z.number().int(),
    /** Object diameter as a fraction of the shorter side (log-uniform range). */
    objectScale: z.tuple([z.number().finite(), z.number().finite()]),
    valFraction: z.number().min(0).max(1),
  })
  .strict();
export type SynthInput = z.infer<typeof SynthInput>;

/** Progress and result of writing a sample dataset. */
export interface SampleWriteProgress {
  done: number;
  total: number;
}

export interface SampleWriteResult {
  dir: string;
  classNames: string[];
  images: number;
}

export interface SynthJob {
  input: SynthInput;
  progress: SampleWriteProgress;
  result: SampleWriteResult;
}

/** Written last into a generated sample dataset: its presence means the folder is complete. */
export const SAMPLE_COMPLETE_MARKER = '.fixres-complete';
