import { z } from 'zod';
import { FinetuneMode, TRAINABLE_MODE_LABELS } from '../models/trainable';
import { HParams } from './train';

/** DESIGN §1: lr 1e-3 at batch 512, scaled linearly with the batch. */
export const FINETUNE_LR_AT_512 = 1e-3;

const base = HParams.shape;

/**
 * The FixRes fine-tune's own hyperparameters and defaults (the rest comes from the parent run):
 * which layers train, its augmentation, epochs, and optional batch, learning rate and seed.
 */
export const FinetuneHParams = z.object({
  mode: FinetuneMode.meta({
    label: 'Trainable',
    help: 'Which layers the fine-tune trains: the classifier alone, with every BatchNorm, or all',
    widget: 'select',
    options: { ...TRAINABLE_MODE_LABELS, 'bn+classifier': 'bn+classifier (FixRes default)' },
  }).default('bn+classifier'),
  /** DA1: Resize + CenterCrop (the test transform); DA2: centre crop shifted horizontally + flip + light colour jitter. */
  augment: z
    .enum(['da1', 'da2'])
    .meta({
      label: 'Augmentation',
      help: 'DA1: the test transform; DA2: the centre crop shifted horizontally, flipped, light colour jitter',
      widget: 'select',
    })
    .default('da1'),
  epochs: base.epochs.unwrap().default(2),
  batchSize: base.batchSize.unwrap().meta({ help: "Images per step (default: the parent's batch size)" }).optional(),
  lr: base.lr
    .unwrap()
    .meta({ help: `Learning rate (default: ${FINETUNE_LR_AT_512} · batch / 512; SGD, momentum 0.9, constant rate)` })
    .optional(),
  seed: base.seed.unwrap().meta({ help: "Seeds data order and augmentation (default: the parent's seed)" }).optional(),
});
export type FinetuneHParams = z.output<typeof FinetuneHParams>;
