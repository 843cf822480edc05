import { z } from 'zod';
import { DatasetId } from './datasets';
import { endpoint } from './endpoint';
import { Resolution } from '../hparams/fields';
import { HParams } from '../hparams/train';

/** An image side in pixels. */
const ImageSide = z
  .number()
  .int('must be a whole number of pixels')
  .min(1, 'must be at least 1')
  .max(100_000, 'must be at most 100000');

export const ImageSizeCount = z.object({ width: ImageSide, height: ImageSide, count: z.number().int().min(0).max(1e9) });

/** Whose image sizes the Monte Carlo draws from. */
export const SizeSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dataset'), datasetId: DatasetId, split: z.enum(['train', 'val']).optional() }).strict(),
  z.object({ kind: z.literal('size'), width: ImageSide, height: ImageSide }).strict(),
  z.object({ kind: z.literal('sizes'), sizes: z.array(ImageSizeCount).min(1, 'give at least one size').max(100_000) }).strict(),
]);
export type SizeSource = z.infer<typeof SizeSource>;

export const ApparentSizeRequest = HParams.pick({ cropPct: true, scale: true, ratio: true, seed: true })
  .extend({
    kTrain: Resolution,
    /** Default: kTrain. */
    kTest: Resolution.optional(),
    source: SizeSource,
    samples: z.number().int().min(100, 'must be at least 100').max(2_000_000, 'must be at most 2000000').default(20_000),
    bins: z.number().int().min(2).max(500).default(40),
    /** K_test* is rounded to a multiple of this. */
    multiple: z.number().int().min(1).max(256).default(8),
  })
  .strict();
export type ApparentSizeRequest = z.input<typeof ApparentSizeRequest>;

/** α at K_test = K_train (what K_test* is derived from, whatever K_test the rest was computed at) and K_test*. */
const KTestStar = { alphaAtKTrain: z.number(), kTestStar: z.number(), kTestStarRounded: z.number().int() };

export const ApparentSizeResult = z.object({
  settings: z.object({
    kTrain: z.number(),
    kTest: z.number(),
    cropPct: z.number(),
    scale: z.tuple([z.number(), z.number()]),
    ratio: z.tuple([z.number(), z.number()]),
  }),
  closedForm: z.object({ meanRocSide: z.number(), alpha: z.number(), ...KTestStar }),
  monteCarlo: z.object({
    samples: z.number().int(),
    alpha: z.number(),
    meanTrainOverTest: z.number(),
    stdTestOverTrain: z.number(),
    relativeRocSide: z.number(),
    fallbackRate: z.number(),
    histogram: z.object({ lo: z.number(), hi: z.number(), counts: z.array(z.number()) }),
    ...KTestStar,
  }),
  /** The Monte Carlo K_test*, rounded: where apparent object sizes match (α = 1), not the best K_test. */
  kTestSizesMatch: z.number().int(),
  multiple: z.number().int(),
  /** Distinct image sizes and images the Monte Carlo drew from. */
  sizes: z.object({ distinct: z.number().int(), images: z.number().int() }),
});
export type ApparentSizeResult = z.infer<typeof ApparentSizeResult>;

const BucketCounts = z.object({ offset: z.number().int(), counts: z.array(z.number().nonnegative()) });

/** Pooled features on geometric buckets of relative accuracy `accuracy` (src/core/activation-stats.ts). */
export const FeatureHistogram = z.object({
  accuracy: z.number().gt(0).lt(1),
  positive: BucketCounts,
  negative: BucketCounts,
});
export type FeatureHistogram = z.infer<typeof FeatureHistogram>;

export const ActivationSummary = z.object({
  n: z.number().int().nonnegative(),
  nonFinite: z.number().int().nonnegative(),
  zeros: z.number().int().nonnegative(),
  mean: z.number(),
  std: z.number(),
  min: z.number(),
  max: z.number(),
  histogram: FeatureHistogram,
});
export type ActivationSummary = z.infer<typeof ActivationSummary>;

export const FrechetParams = z.object({
  mu: z.number(),
  sigma: z.number().positive(),
  xi: z.number(),
  zeros: z.enum(['censored', 'include']),
  ks: z.number().min(0).max(1),
  /** Whether the maximum-likelihood fit converged (absent: stored before it was recorded). Only converged fits adapt. */
  converged: z.boolean().optional(),
});
export type FrechetParams = z.infer<typeof FrechetParams>;

export const analysisApi = {
  'analysis.apparentSize': endpoint(ApparentSizeRequest, ApparentSizeResult),
};
