import { z } from 'zod';
import { RUN_LIMITS, RunId } from './runs';

/** DESIGN §1: lr 1e-3 at batch 512, scaled linearly with the batch. */
export const FINETUNE_LR_AT_512 = 1e-3;

/**
 * Fine-tune a trained run at a test resolution (FixRes): the child run starts from the parent's
 * checkpoint, trains at `kTest` with the test-time pre-processing (DA1) or its light
 * augmentation (DA2), and by default re-estimates BatchNorm and trains the classifier only.
 */
export const FinetuneRequest = z
  .object({
    parentRunId: RunId,
    /** The resolution to fine-tune (and then test) at. */
    kTest: z.number().int('must be a whole number of pixels').min(1).max(RUN_LIMITS.maxK),
    mode: z.enum(['classifier', 'bn+classifier', 'full']).default('bn+classifier'),
    /** DA1: Resize + CenterCrop (the test transform); DA2: centre crop shifted horizontally + flip + light colour jitter. */
    augment: z.enum(['da1', 'da2']).default('da1'),
    epochs: z.number().int().min(1).max(RUN_LIMITS.maxEpochs).default(2),
    /** Default: the parent's batch size. */
    batchSize: z.number().int().min(1).max(RUN_LIMITS.maxBatch).optional(),
    /** Default: 1e-3 · batch / 512 (SGD, momentum 0.9, constant rate). */
    lr: z.number().finite().gt(0).max(10).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    name: z.string().trim().max(200).optional(),
  })
  .strict();
export type FinetuneRequest = z.input<typeof FinetuneRequest>;
export type ParsedFinetuneRequest = z.output<typeof FinetuneRequest>;
