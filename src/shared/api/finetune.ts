import { z } from 'zod';
import { TRAINABLE_MODES } from '../jobs/train';
import { RUN_LIMITS, RunId } from './runs';

/** Fine-tune modes, the official FixRes recipe first (its default). */
export const FinetuneMode = z.enum(TRAINABLE_MODES);
export type FinetuneMode = z.infer<typeof FinetuneMode>;

/** What each mode trains, for forms and help texts. */
export const FINETUNE_MODE_LABELS: Record<FinetuneMode, string> = {
  'last-bn+classifier': 'classifier; the BN before pooling re-estimates its statistics (official FixRes)',
  'bn+classifier': 'every BatchNorm (γ, β, statistics) and the classifier',
  classifier: 'the classifier only (BN statistics frozen)',
  full: 'every layer',
};

/**
 * Fine-tune a trained run at a test resolution (FixRes): the child run starts from the parent's
 * checkpoint, trains at `kTest` with the test-time pre-processing (DA1) or its light
 * augmentation (DA2). By default it follows the official recipe (src/core/finetune-recipe.ts):
 * only the classifier trains, the BN before pooling re-estimates its statistics, SGD momentum
 * 0.9, weight decay 1e-4, lr 8·1e-3·batch/512 and StepLR's decay after 30/56 of the epochs.
 */
export const FinetuneRequest = z
  .object({
    parentRunId: RunId,
    /** The resolution to fine-tune (and then test) at. */
    kTest: z.number().int('must be a whole number of pixels').min(1).max(RUN_LIMITS.maxK),
    mode: FinetuneMode.default('last-bn+classifier'),
    /** DA1: Resize + CenterCrop (the test transform); DA2: centre crop shifted horizontally + flip + light colour jitter. */
    augment: z.enum(['da1', 'da2']).default('da1'),
    /** Default: enough epochs for ~600 optimiser steps, 2 to 30 (finetuneEpochs). */
    epochs: z.number().int().min(1).max(RUN_LIMITS.maxEpochs).optional(),
    /** Default: the parent's batch size. */
    batchSize: z.number().int().min(1).max(RUN_LIMITS.maxBatch).optional(),
    /** Default: the official rule 8 · 1e-3 · batch / 512. */
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
