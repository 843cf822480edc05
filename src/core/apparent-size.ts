import { DEFAULT_CROP_PCT, DEFAULT_RATIO, DEFAULT_SCALE, sampleTrainCrop, testTransform } from './crops';
import { Rng } from './rng';

/** How many images of one size a dataset holds (what the data layer reports per dataset). */
export interface ImageSizeCount {
  width: number;
  height: number;
  count: number;
}

/** The pre-processing whose train/test apparent-size discrepancy is analysed (DESIGN §1). */
export interface ApparentSizeSettings {
  kTrain: number;
  /** Test crop size; the analysis is usually run at kTest = kTrain. */
  kTest: number;
  /** Test-time Resize(floor(kTest / cropPct)) + CenterCrop(kTest). */
  cropPct: number;
  scale: readonly [number, number];
  ratio: readonly [number, number];
}

export const DEFAULT_APPARENT_SIZE = { cropPct: DEFAULT_CROP_PCT, scale: DEFAULT_SCALE, ratio: DEFAULT_RATIO } as const;

/**
 * E[σ] when the RoC's area fraction σ² is uniform on [a, b]: σ has density 2σ/(b − a) on
 * [√a, √b], so E[σ] = (2/3)(b^1.5 − a^1.5)/(b − a). Degenerate range a = b gives √a.
 */
export function meanRocSide(scale: readonly [number, number]): number {
  const [a, b] = scale;
  if (b - a < 1e-12) return Math.sqrt(a);
  return ((2 / 3) * (b ** 1.5 - a ** 1.5)) / (b - a);
}

/** The paper's simplified model (square image, aspect 1): α = E[σ] · (K_test / crop_pct) / K_train. */
export function closedFormAlpha(settings: Pick<ApparentSizeSettings, 'kTrain' | 'kTest' | 'cropPct' | 'scale'>): number {
  return (meanRocSide(settings.scale) * (settings.kTest / settings.cropPct)) / settings.kTrain;
}

/**
 * The test size at which the mean apparent-size ratio is 1, keeping crop_pct fixed. α is
 * proportional to K_test, so this is K_train / α(K_test = K_train) = crop_pct · K_train / q, where
 * q = E[√(h·w) / min(H, W)] is the mean RoC side relative to the image's short side.
 */
export function kTestForUnitAlpha(kTrain: number, cropPct: number, relativeRocSide: number): number {
  return (cropPct * kTrain) / relativeRocSide;
}

/** Nearest positive multiple of `multiple` (halves round up). */
export function roundToMultiple(value: number, multiple: number): number {
  return Math.max(multiple, multiple * Math.round(value / multiple));
}

/** Equal-width histogram over [lo, hi]; values outside land in the edge bins. */
export interface RatioHistogram {
  lo: number;
  hi: number;
  counts: number[];
}

export interface MonteCarloOptions {
  samples: number;
  seed: number;
  bins: number;
  /** Histogram range; default [0, largest ratio any crop of these sizes can give]. */
  range?: readonly [number, number];
}

export interface ApparentSizeMonteCarlo {
  samples: number;
  /** α = E[r_test / r_train] = E[s_test / s_train]: below 1, objects look larger at train time. */
  alpha: number;
  /** E[r_train / r_test]; not 1/α (Jensen), shown so both directions are labelled. */
  meanTrainOverTest: number;
  /** Standard deviation of r_test / r_train over the samples. */
  stdTestOverTrain: number;
  /** q = E[√(h·w) / min(H, W)]: the quantity α is proportional to. */
  relativeRocSide: number;
  /** Fraction of train crops that came from torchvision's centre fallback after 10 rejections. */
  fallbackRate: number;
  histogram: RatioHistogram;
}

/**
 * α by Monte Carlo with the real crop sampler over real image sizes: per sample an image size
 * (systematic sampling in proportion to the counts), a RandomResizedCrop h×w from it, and
 * r_test/r_train = s_test/s_train with s_train = K_train/√(h·w), s_test = floor(K_test/crop_pct)/min(H, W).
 */
export function monteCarloAlpha(
  settings: ApparentSizeSettings,
  sizes: readonly ImageSizeCount[],
  options: MonteCarloOptions,
): ApparentSizeMonteCarlo {
  const used = sizes.filter((s) => s.count > 0);
  if (used.length === 0) throw new RangeError('The apparent-size analysis needs at least one image size');
  if (!(options.samples >= 1) || !(options.bins >= 1)) throw new RangeError('samples and bins must be at least 1');
  const total = used.reduce((n, s) => n + s.count, 0);
  const testScale = used.map((s) => testTransform(s.width, s.height, settings.kTest, settings.cropPct).scale);
  const range = options.range ?? [
    0,
    Math.max(...used.map((s, i) => (testScale[i]! * Math.sqrt(s.width * s.height)) / settings.kTrain)),
  ];
  const counts = new Array<number>(options.bins).fill(0);
  const binWidth = (range[1] - range[0]) / options.bins;
  const rng = Rng.fromSeed(options.seed);
  const crop = { scale: settings.scale, ratio: settings.ratio };
  const offset = rng.uniform();
  let index = 0;
  let cumulative = used[0]!.count;
  let sum = 0;
  // Squares are summed about the first ratio (a shifted sum) so the variance does not cancel.
  let shift = Number.NaN;
  let sumShifted = 0;
  let sumShiftedSq = 0;
  let sumInverse = 0;
  let sumRelativeSide = 0;
  let fallbacks = 0;
  for (let i = 0; i < options.samples; i++) {
    const position = ((i + offset) / options.samples) * total;
    while (position >= cumulative && index < used.length - 1) cumulative += used[++index]!.count;
    const { width, height } = used[index]!;
    const box = sampleTrainCrop(width, height, crop, rng);
    if (box.fallback) fallbacks++;
    const side = Math.sqrt(box.w * box.h);
    const ratio = (testScale[index]! * side) / settings.kTrain;
    if (i === 0) shift = ratio;
    sum += ratio;
    sumShifted += ratio - shift;
    sumShiftedSq += (ratio - shift) ** 2;
    sumInverse += 1 / ratio;
    sumRelativeSide += side / Math.min(width, height);
    const bin = Math.floor((ratio - range[0]) / binWidth);
    counts[Math.min(options.bins - 1, Math.max(0, bin))]!++;
  }
  const n = options.samples;
  const alpha = sum / n;
  return {
    samples: n,
    alpha,
    meanTrainOverTest: sumInverse / n,
    stdTestOverTrain: Math.sqrt(Math.max(0, sumShiftedSq / n - (sumShifted / n) ** 2)),
    relativeRocSide: sumRelativeSide / n,
    fallbackRate: fallbacks / n,
    histogram: { lo: range[0], hi: range[1], counts },
  };
}

/**
 * K_test* and what it is derived from: α at K_test = K_train. α grows with K_test, so the α of the
 * current K_test cannot be divided into K_train; K_test* = K_train / α(K_train) is the K_test at
 * which α = 1 (apparent sizes match), whatever K_test the rest of the analysis is at.
 */
export interface KTestStarOf {
  alphaAtKTrain: number;
  kTestStar: number;
  kTestStarRounded: number;
}

/** Closed form and Monte Carlo side by side, each with its K_test*. */
export interface ApparentSizeAnalysis {
  settings: ApparentSizeSettings;
  closedForm: { meanRocSide: number; alpha: number } & KTestStarOf;
  monteCarlo: ApparentSizeMonteCarlo & KTestStarOf;
  /**
   * The Monte Carlo K_test*, rounded: the test size at which apparent object sizes match (α = 1)
   * for the real sampler and image sizes. It is not the best test size (a sweep finds that).
   */
  kTestSizesMatch: number;
  /** Rounding step for K_test*. */
  multiple: number;
}

/** Everything the analysis view and `fixres analyze` show, from one call. */
export function analyzeApparentSize(
  settings: ApparentSizeSettings,
  sizes: readonly ImageSizeCount[],
  options: MonteCarloOptions & { multiple: number },
): ApparentSizeAnalysis {
  const side = meanRocSide(settings.scale);
  const closedStar = kTestForUnitAlpha(settings.kTrain, settings.cropPct, side);
  const mc = monteCarloAlpha(settings, sizes, options);
  const mcStar = kTestForUnitAlpha(settings.kTrain, settings.cropPct, mc.relativeRocSide);
  const mcRounded = roundToMultiple(mcStar, options.multiple);
  return {
    settings,
    closedForm: {
      meanRocSide: side,
      alpha: closedFormAlpha(settings),
      alphaAtKTrain: closedFormAlpha({ ...settings, kTest: settings.kTrain }),
      kTestStar: closedStar,
      kTestStarRounded: roundToMultiple(closedStar, options.multiple),
    },
    // α(K) = floor(K / crop_pct) · q / K_train over the same crops: exact at K = K_train without sampling again.
    monteCarlo: {
      ...mc,
      alphaAtKTrain: (Math.floor(settings.kTrain / settings.cropPct) * mc.relativeRocSide) / settings.kTrain,
      kTestStar: mcStar,
      kTestStarRounded: mcRounded,
    },
    kTestSizesMatch: mcRounded,
    multiple: options.multiple,
  };
}
