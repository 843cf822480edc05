import { z } from 'zod';
import { FinetuneMode, TRAINABLE_MODE_LABELS } from '../models/trainable';
import { HParams } from './train';

const base = HParams.shape;

/**
 * The FixRes fine-tune's own hyperparameters and defaults (the rest comes from the parent run):
 * which layers train, its augmentation, epochs, and optional batch, learning rate and seed. The
 * defaults follow the official recipe (src/core/finetune-recipe.ts, docs/SCIENCE.md §6).
 */
export const FinetuneHParams = z.object({
  mode: FinetuneMode.meta({
    label: 'Trainable',
    help: 'Which layers the fine-tune trains: the classifier with the last BN re-estimating its statistics (official FixRes), with every BatchNorm, the classifier alone, or all',
    widget: 'select',
    options: TRAINABLE_MODE_LABELS,
  }).default('last-bn+classifier'),
  /** DA1: Resize + CenterCrop (the test transform); DA2: centre crop shifted horizontally + flip + light colour jitter. */
  augment: z
    .enum(['da1', 'da2'])
    .meta({
      label: 'Augmentation',
      help: 'DA1: the test transform; DA2: the centre crop shifted horizontally, flipped, light colour jitter',
      widget: 'select',
    })
    .default('da1'),
  epochs: base.epochs
    .unwrap()
    .meta({
      help: 'Passes over the training images (default: enough for about 600 steps, 2 to 30 epochs)',
      hint: 'empty: ~600 steps',
    })
    .optional(),
  batchSize: base.batchSize.unwrap().meta({ help: "Images per step (default: the parent's batch size)" }).optional(),
  lr: base.lr
    .unwrap()
    .meta({
      help: 'Learning rate (default: the official 8 · 1e-3 · batch / 512; SGD momentum 0.9, weight decay 1e-4, ×0.1 after 30/56 of the epochs)',
    })
    .optional(),
  seed: base.seed.unwrap().meta({ help: "Seeds data order and augmentation (default: the parent's seed)" }).optional(),
});
export type FinetuneHParams = z.output<typeof FinetuneHParams>;
