import { z } from 'zod';

/** Limits that keep a typo from asking for a week of compute or a 100 GB tensor. */
export const RUN_LIMITS = { maxK: 1024, maxEpochs: 1000, maxBatch: 4096, maxWidth: 8 } as const;

/** A train or test resolution a run may use, in pixels. */
export const KSize = z.number().int('must be a whole number of pixels').min(1).max(RUN_LIMITS.maxK);
/** A crop or test size the geometry tools accept (Crop Lab, `fixres analyze`): larger than a run may train at. */
export const Resolution = z
  .number()
  .int('must be a whole number of pixels')
  .min(1, 'must be at least 1')
  .max(4096, 'must be at most 4096');
/** Whole epochs of training. */
export const Epochs = z.number().int().min(1).max(RUN_LIMITS.maxEpochs);
/** Images per training step. */
export const BatchSize = z.number().int().min(1).max(RUN_LIMITS.maxBatch);
/** A base learning rate. */
export const LearningRate = z.number().finite().gt(0).max(10);
/** Seeds every random draw; the RNG (src/core/rng.ts) takes any 32-bit unsigned value. */
export const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1);
/** A list of test resolutions. */
export const KTestList = z.array(KSize).min(1, 'give at least one K_test').max(64, 'at most 64 test sizes');

const Above0AtMost = (max: number) => z.number().gt(0, 'must be above 0').max(max, `must be at most ${max}`);
// No field name in the message: every adapter already puts the field in front of it.
const orderedPair = (item: z.ZodNumber) =>
  z.tuple([item, item]).refine(([lo, hi]) => lo <= hi, 'the minimum must not exceed the maximum');

/** RandomResizedCrop's range of area fractions. */
export const ScaleRange = orderedPair(Above0AtMost(1));
/** RandomResizedCrop's range of aspect ratios (w/h). */
export const RatioRange = orderedPair(Above0AtMost(100));
/** Test transform: resize the shorter side to floor(K / crop_pct), then centre-crop K. */
export const CropPct = Above0AtMost(1);
/** How images are resampled. */
export const Interpolation = z.enum(['bilinear', 'bicubic', 'nearest']);
export type Interpolation = z.infer<typeof Interpolation>;
