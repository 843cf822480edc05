/**
 * How long the one-click workflow trains when the user does not say: enough optimiser steps for
 * a small convnet to learn from scratch. A fixed epoch count fails small datasets (ten epochs of
 * 800 images are 250 steps, and the sample set stayed at chance); steps do not.
 */

/** Optimiser steps a from-scratch training aims for (docs/SCIENCE.md §9: the sample set learns by then). */
export const TARGET_TRAIN_STEPS = 2500;
export const MIN_TRAIN_EPOCHS = 10;
export const MAX_TRAIN_EPOCHS = 60;
/** Linear warm-up over this fraction of the epochs when the workflow picks them. */
export const WARMUP_FRACTION = 0.1;

/** Epochs for about TARGET_TRAIN_STEPS steps of `batchSize`, within [10, 60]. */
export function trainEpochs(trainImages: number, batchSize: number): number {
  const stepsPerEpoch = Math.max(1, Math.floor(trainImages / batchSize));
  return Math.min(MAX_TRAIN_EPOCHS, Math.max(MIN_TRAIN_EPOCHS, Math.ceil(TARGET_TRAIN_STEPS / stepsPerEpoch)));
}

/** Warm-up epochs for a run of `epochs` whose warm-up the workflow picks. */
export function warmupEpochs(epochs: number): number {
  return Math.round(WARMUP_FRACTION * epochs);
}
