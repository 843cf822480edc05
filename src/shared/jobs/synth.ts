/** Generate the synthetic shapes dataset as `dir/{train,val}/<class>/<i>.png` (see core/synthetic-scene.ts). */
export interface SynthInput {
  dir: string;
  classes: number;
  perClass: number;
  /** Shorter side of each image in pixels. */
  size: number;
  seed: number;
  /** Object diameter as a fraction of the shorter side (log-uniform range). */
  objectScale: [number, number];
  valFraction: number;
}

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
