/**
 * The official FixRes fine-tune recipe (facebookresearch/FixRes, imnet_finetune/train.py and the
 * README's ResNet-50 command), as numbers the lab can scale to a small dataset. docs/SCIENCE.md §6
 * says where the lab follows it and where it differs.
 */

/** main_finetune.py `--learning-rate` default and the README's value for ResNet-50. */
export const OFFICIAL_LR_BASE = 1e-3;
/** optim.SGD(model.parameters(), momentum=0.9, weight_decay=1e-4). */
export const OFFICIAL_MOMENTUM = 0.9;
export const OFFICIAL_WEIGHT_DECAY = 1e-4;
/** StepLR(step_size=30), gamma 0.1 (PyTorch's default), stepped once per epoch. */
export const OFFICIAL_STEP_EPOCHS = 30;
export const OFFICIAL_STEP_GAMMA = 0.1;
/** The README's FixResNet-50 fine-tune: `--epochs 56 --batch 64 --num-tasks 8`. */
export const OFFICIAL_EPOCHS = 56;

/**
 * `linear_scaled_lr = 8.0 · lr · batch_per_gpu · num_tasks / 512`: 8e-3 for the README's 8 GPUs
 * × 64 images. One process here, so the total batch is the batch.
 */
export function officialFinetuneLr(batchTotal: number, lrBase = OFFICIAL_LR_BASE): number {
  if (!(batchTotal > 0)) throw new RangeError(`The batch must be positive, got ${batchTotal}`);
  return (8 * lrBase * batchTotal) / 512;
}

/**
 * Optimiser steps a default fine-tune aims for. The official ResNet-50 run takes 56 ImageNet
 * epochs (≈ 140 000 steps of 512); a dataset of thousands of images has no use for that many
 * passes, and the head it trains converges in a few hundred steps (docs/SCIENCE.md §6 measures
 * it), so the lab counts steps, not ImageNet epochs.
 */
export const FINETUNE_TARGET_STEPS = 600;
/** At least two epochs, so the one learning-rate decay has an epoch to act on. */
export const FINETUNE_MIN_EPOCHS = 2;
export const FINETUNE_MAX_EPOCHS = 30;

/** Epochs of a default fine-tune: enough for FINETUNE_TARGET_STEPS steps, within [2, 30]. */
export function finetuneEpochs(trainImages: number, batchSize: number): number {
  const stepsPerEpoch = Math.max(1, Math.floor(trainImages / batchSize));
  const epochs = Math.ceil(FINETUNE_TARGET_STEPS / stepsPerEpoch);
  return Math.min(FINETUNE_MAX_EPOCHS, Math.max(FINETUNE_MIN_EPOCHS, epochs));
}

/**
 * StepLR(30) scaled to a fine-tune of `epochs`: the official run decays the rate ×0.1 after 30 of
 * its 56 epochs, so the lab decays it after the same fraction of its epochs (at least one epoch
 * in, at most one before the end). A one-epoch fine-tune keeps a constant rate.
 */
export function finetuneMilestones(epochs: number): number[] {
  if (epochs < 2) return [];
  const at = Math.round((epochs * OFFICIAL_STEP_EPOCHS) / OFFICIAL_EPOCHS);
  return [Math.min(epochs - 1, Math.max(1, at))];
}
