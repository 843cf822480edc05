import { z } from 'zod';
import { workCost } from './work-cost';
import { ActivationSummary, FrechetParams } from './analysis';
import { ReferenceSource, SweepHParams } from '../hparams/sweep';
import { RunId, RunStatus } from './runs';

export const SweepId = z.number().int().positive();
export { ReferenceSource } from '../hparams/sweep';

/**
 * Evaluate a run's checkpoint at several test resolutions (same crop_pct) on its validation
 * images. `adapter: 'frechet'` adds the parametric-adaptation series.
 */
export const SweepRequest = SweepHParams.extend({
  runId: RunId.meta({ label: 'Run', help: 'The run to sweep', flag: false }),
}).strict();
export type SweepRequest = z.input<typeof SweepRequest>;

/** A sweep's settings with every default resolved, stored with it. */
export const SweepSettings = z.object({
  kTests: z.array(z.number().int()),
  kTrain: z.number().int(),
  /** The apparent-size K_test* included in the default list (null when it could not be computed). */
  kTestStar: z.number().int().nullable(),
  cropPct: z.number(),
  reference: ReferenceSource,
  referenceImages: z.number().int(),
  reservoir: z.number().int(),
  xi: z.number(),
  freeXi: z.boolean(),
  batchSize: z.number().int(),
});
export type SweepSettings = z.infer<typeof SweepSettings>;

/** The train-resolution distribution a Fréchet series maps onto. */
export const SweepReference = z.object({
  source: ReferenceSource,
  kTrain: z.number().int(),
  images: z.number().int(),
  summary: ActivationSummary,
  frechet: FrechetParams,
});
export type SweepReference = z.infer<typeof SweepReference>;

export const Sweep = z.object({
  id: SweepId,
  runId: RunId,
  adapter: z.enum(['none', 'frechet']),
  status: RunStatus,
  settings: SweepSettings,
  reference: SweepReference.nullable(),
  backend: z.string().nullable(),
  createdAt: z.string(),
  ...workCost,
  /** K_test values of this sweep already measured (points stored). */
  done: z.number().int(),
});
export type Sweep = z.infer<typeof Sweep>;

/** A 95 % interval [lower, upper] of a proportion (Wilson score; src/core/stats.ts). */
export const Interval95 = z.tuple([z.number(), z.number()]);

/** Which validation images a number comes from: all, the selection half (where K_test is picked), or the held-out half (where it is reported). */
export const ImageSet = z.enum(['all', 'selection', 'held-out']);
export type ImageSet = z.infer<typeof ImageSet>;

/** A top-1 on a set of images, with its Wilson 95 % interval. */
export const Accuracy = z.object({ top1: z.number(), n: z.number().int(), ci95: Interval95 });
export type Accuracy = z.infer<typeof Accuracy>;

/**
 * A top-1 difference between two settings measured on the same images (second minus first), with
 * McNemar's exact test on the images they disagree on; `withinNoise` when p ≥ 0.05. Without its
 * interval: how workflow summaries stored before version 3 hold it.
 */
export const PairedGainCounts = z.object({
  gain: z.number(),
  n: z.number().int(),
  /** Images only the first setting got right, and only the second. */
  onlyFirst: z.number().int(),
  onlySecond: z.number().int(),
  pValue: z.number(),
  withinNoise: z.boolean(),
  images: ImageSet,
});
export type PairedGainCounts = z.infer<typeof PairedGainCounts>;

/** A paired gain with its 95 % interval: the exact one McNemar's test inverts (src/shared/gain-interval.ts); it holds 0 ⇔ within noise. */
export const PairedGain = PairedGainCounts.extend({ ci95: Interval95 });
export type PairedGain = z.infer<typeof PairedGain>;

/** Statistics the lab adds to every point it shows (never stored: they follow from the counts). */
const PointStatistics = {
  /** Wilson 95 % interval of top1 over all n images. */
  ci95: Interval95.optional(),
  /** Top-1 on the selection half and on the held-out half (null for points measured before per-image results were kept). */
  selection: Accuracy.nullable().optional(),
  heldOut: Accuracy.nullable().optional(),
};

export const SweepPoint = z.object({
  runId: RunId,
  sweepId: SweepId.nullable(),
  kTest: z.number().int(),
  adapter: z.enum(['none', 'frechet', 'finetuned']),
  top1: z.number(),
  top5: z.number().nullable(),
  loss: z.number().nullable(),
  n: z.number().int(),
  seconds: z.number().nullable(),
  imgPerSec: z.number().nullable(),
  ...PointStatistics,
});
export type SweepPoint = z.infer<typeof SweepPoint>;

export const ActivationStats = z.object({
  runId: RunId,
  kTest: z.number().int(),
  summary: ActivationSummary,
  frechet: FrechetParams.nullable(),
  /** Why an adaptation sweep has no Fréchet point at this K_test (a fit missing or not converged). */
  adaptNote: z.string().nullable().optional(),
});
export type ActivationStats = z.infer<typeof ActivationStats>;

export const SweepDetail = Sweep.extend({ points: z.array(SweepPoint), activations: z.array(ActivationStats) });
export type SweepDetail = z.infer<typeof SweepDetail>;

/** The default K_test list of a run, before a sweep is started. */
export const SweepPlan = z.object({
  runId: RunId,
  kTrain: z.number().int(),
  kTests: z.array(z.number().int()),
  step: z.number().int(),
  kTestStar: z.number().int().nullable(),
  /** Why K_test* is missing, if it is. */
  note: z.string().nullable(),
});
export type SweepPlan = z.infer<typeof SweepPlan>;

/** One curve of the Resolution chart: accuracy against K_test. */
export const ResolutionSeries = z.object({
  /** Stable id: `<runId>:<adapter>`. */
  key: z.string(),
  label: z.string(),
  /** baseline = the run tested at K_test; frechet = with parametric adaptation; finetuned = a fine-tuned child tested at K_test. */
  kind: z.enum(['baseline', 'frechet', 'finetuned']),
  runId: RunId,
  /** The resolution the series' model was trained (or fine-tuned) at. */
  kTrain: z.number().int(),
  points: z.array(
    z.object({
      kTest: z.number().int(),
      top1: z.number(),
      top5: z.number().nullable(),
      loss: z.number().nullable(),
      n: z.number().int(),
      ci95: Interval95,
      selection: Accuracy.nullable(),
      heldOut: Accuracy.nullable(),
    }),
  ),
});
export type ResolutionSeries = z.infer<typeof ResolutionSeries>;

export const ResolutionChart = z.object({
  /** The trained run the chart is about (the parent when a fine-tuned run was asked for). */
  runId: RunId,
  kTrain: z.number().int(),
  kTestStar: z.number().int().nullable(),
  cropPct: z.number(),
  series: z.array(ResolutionSeries),
  /**
   * The best point over every series, picked on `pickedOn` (the selection half when every point
   * has per-image results, else all images), and its accuracy where it is reported: `reported`
   * on `reportedOn` (the held-out half, else all images: then the pick and the report share images).
   */
  best: z
    .object({
      key: z.string(),
      kTest: z.number().int(),
      top1: z.number(),
      pickedOn: ImageSet,
      reportedOn: ImageSet,
      reported: Accuracy,
    })
    .nullable(),
  /** The baseline at K_test = K_train, on the best point's reporting images. */
  atKTrain: z.object({ top1: z.number(), reported: Accuracy.nullable() }).nullable(),
  /** best − atKTrain on the reporting images, with McNemar's test (null without per-image results). */
  gain: PairedGain.nullable(),
  /** Why these numbers may not mean much (near chance, too few images). */
  warnings: z.array(z.string()),
});
export type ResolutionChart = z.infer<typeof ResolutionChart>;

const SharedCurve = {
  counts: z.array(z.number()),
  density: z.array(z.number()),
  cdf: z.array(z.number()),
  below: z.number(),
  above: z.number(),
  /** The Fréchet fit's CDF at each bin's right edge (null without a fit). */
  fittedCdf: z.array(z.number()).nullable(),
};

/** Pooled-feature histograms and CDFs of a run per K_test on one shared grid, ready to overlay. */
export const ActivationsView = z.object({
  runId: RunId,
  kTrain: z.number().int(),
  /** The apparent-size K_test* of the run's latest sweep, and the K_test of its best plain top-1 (null when unknown). */
  kTestStar: z.number().int().nullable(),
  bestKTest: z.number().int().nullable(),
  /** Bin edges (bins + 1). */
  edges: z.array(z.number()),
  series: z.array(
    z.object({
      kTest: z.number().int(),
      n: z.number().int(),
      mean: z.number(),
      std: z.number(),
      zeroFraction: z.number(),
      min: z.number(),
      max: z.number(),
      frechet: FrechetParams.nullable(),
      /** Why the adaptation series has no point here (a fit missing or not converged). */
      adaptNote: z.string().nullable().optional(),
      ...SharedCurve,
    }),
  ),
  /** The latest Fréchet reference of the run (features the classifier was trained on), on the same grid. */
  reference: z
    .object({
      source: ReferenceSource,
      kTrain: z.number().int(),
      images: z.number().int(),
      frechet: FrechetParams,
      ...SharedCurve,
    })
    .nullable(),
});
export type ActivationsView = z.infer<typeof ActivationsView>;

export const SweepProgressEvent = z.object({
  sweepId: SweepId,
  runId: RunId,
  /** reference: fitting the train-resolution features; evaluate: a K_test pass; adapt: a second pass for the adaptation. */
  phase: z.enum(['reference', 'evaluate', 'adapt']),
  kTest: z.number().int().nullable(),
  /** Index of the K_test in settings.kTests, and how many there are. */
  index: z.number().int(),
  resolutions: z.number().int(),
  /** Images done in this pass, of `total`. */
  done: z.number().int(),
  total: z.number().int(),
  imgPerSec: z.number(),
});
export type SweepProgressEvent = z.infer<typeof SweepProgressEvent>;

export const SweepPointEvent = z.object({
  sweepId: SweepId,
  runId: RunId,
  kTest: z.number().int(),
  points: z.array(SweepPoint),
  activations: ActivationStats.nullable(),
});
export type SweepPointEvent = z.infer<typeof SweepPointEvent>;
