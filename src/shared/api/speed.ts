import { z } from 'zod';
import { DatasetId } from './datasets';
import { RunId } from './runs';

/** One (run, K_test, series) of the speed/accuracy table: what it scored and what it cost. */
export const SpeedRow = z.object({
  runId: RunId,
  runName: z.string(),
  kind: z.enum(['train', 'finetune']),
  parentId: RunId.nullable(),
  datasetId: DatasetId.nullable(),
  arch: z.string(),
  width: z.number(),
  /** Resolution the run trained at (a fine-tune: the one it was fine-tuned at). */
  kTrain: z.number().int(),
  /** For a fine-tune, its parent's K_train. */
  parentKTrain: z.number().int().nullable(),
  kTest: z.number().int(),
  /** baseline: tested as trained; frechet: with parametric adaptation; finetuned: a fine-tuned run tested. */
  series: z.enum(['baseline', 'frechet', 'finetuned']),
  trainable: z.string(),
  augment: z.string(),
  epochs: z.number().int(),
  top1: z.number(),
  /** Wilson 95 % interval of top1 over its validation images (null when their number is unknown). */
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  top5: z.number().nullable(),
  /** True for the run's best K_test in this series. */
  best: z.boolean(),
  /** Engine seconds of this run, and including its parent's (what the fine-tuned model cost in all). */
  trainSeconds: z.number(),
  totalTrainSeconds: z.number(),
  trainImgPerSec: z.number().nullable(),
  /** Validation images per second at this K_test (null when it came from the last epoch). */
  evalImgPerSec: z.number().nullable(),
  peakRssMb: z.number().nullable(),
  backend: z.string().nullable(),
});
export type SpeedRow = z.infer<typeof SpeedRow>;

export const SpeedRequest = z.object({ datasetId: DatasetId.optional(), bestOnly: z.boolean().default(false) }).strict();
