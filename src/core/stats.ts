/**
 * The statistics every accuracy and every gain in FixRes Lab carries (DESIGN.md §1, "Results a
 * practitioner can trust"): a Wilson 95 % interval for a top-1, and an exact McNemar test (a
 * two-sided binomial test on the discordant pairs) for a gain between two settings measured on
 * the same images. Pure functions; checked against scipy.stats.binomtest in test/core/stats.test.ts.
 */

/** z for a two-sided 95 % interval: Φ⁻¹(0.975). */
export const Z95 = 1.959963984540054;
/** A gain whose McNemar p-value is at or above this is reported as "within noise". */
export const NOISE_ALPHA = 0.05;

/** A proportion with its Wilson 95 % interval. */
export interface Proportion {
  /** successes / n (NaN when n = 0). */
  value: number;
  successes: number;
  n: number;
  /** [lower, upper], within [0, 1]; [0, 1] when n = 0. */
  ci95: [number, number];
}

/**
 * Wilson score interval (no continuity correction), as scipy's
 * `binomtest(k, n).proportion_ci(method='wilson')`: centre (k + z²/2)/(n + z²), half-width
 * z·√(k(n−k)/n + z²/4)/(n + z²). It stays inside [0, 1] and keeps its coverage near 0 and 1,
 * where the normal (Wald) interval collapses to a point.
 */
export function wilsonInterval(successes: number, n: number, z = Z95): [number, number] {
  assertCounts(successes, n);
  if (n === 0) return [0, 1];
  const z2 = z * z;
  const denominator = 2 * (n + z2);
  const centre = (2 * successes + z2) / denominator;
  const half = (z * Math.sqrt(z2 + (4 * successes * (n - successes)) / n)) / denominator;
  return [successes === 0 ? 0 : Math.max(0, centre - half), successes === n ? 1 : Math.min(1, centre + half)];
}

/** successes/n with its Wilson 95 % interval. */
export function proportion(successes: number, n: number): Proportion {
  return { value: n ? successes / n : NaN, successes, n, ci95: wilsonInterval(successes, n) };
}

/**
 * ln P(X = k) for X ~ Binomial(n, 1/2), for k = 0 … upTo, by the recurrence
 * P(k+1) = P(k)·(n−k)/(k+1) in log space (no underflow for n in the millions).
 */
function halfBinomialLogPmf(n: number, upTo: number): Float64Array {
  const out = new Float64Array(upTo + 1);
  out[0] = -n * Math.LN2;
  for (let k = 0; k < upTo; k++) out[k + 1] = out[k]! + Math.log(n - k) - Math.log(k + 1);
  return out;
}

/** ln Σ exp(values), stable. */
function logSumExp(values: Float64Array): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

/** The result of McNemar's test on two settings evaluated on the same images. */
export interface McNemar {
  /** Images the first setting got right and the second wrong. */
  onlyFirst: number;
  /** Images the second setting got right and the first wrong. */
  onlySecond: number;
  /** Exact two-sided p-value: binomial test of onlySecond out of the discordant pairs, p = 1/2. */
  pValue: number;
  /** Mid-p variant (exact minus half the probability of the observed count): less conservative, for reference. */
  midPValue: number;
}

/**
 * Exact McNemar test from the two discordant counts: under "no difference" each discordant image
 * is equally likely to favour either setting, so min(b, c) ~ Binomial(b + c, 1/2), and the
 * two-sided p-value is min(1, 2·P(X ≤ min(b, c))) — what scipy.stats.binomtest(c, b + c, 0.5)
 * returns. With no discordant pairs there is no evidence of a difference: p = 1.
 */
export function mcnemarExact(onlyFirst: number, onlySecond: number): McNemar {
  for (const count of [onlyFirst, onlySecond]) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`McNemar counts must be whole numbers ≥ 0, got ${count}`);
  }
  const n = onlyFirst + onlySecond;
  const low = Math.min(onlyFirst, onlySecond);
  if (n === 0) return { onlyFirst, onlySecond, pValue: 1, midPValue: 1 };
  const logPmf = halfBinomialLogPmf(n, low);
  const tail = Math.exp(logSumExp(logPmf));
  const atLow = Math.exp(logPmf[low]!);
  return {
    onlyFirst,
    onlySecond,
    pValue: Math.min(1, 2 * tail),
    midPValue: Math.min(1, 2 * (tail - atLow / 2)),
  };
}

/** A difference in top-1 between two settings on the same images, with its paired test. */
export interface PairedGain {
  /** top-1 of the second setting minus top-1 of the first (a fraction; 0.01 = one point). */
  gain: number;
  n: number;
  test: McNemar;
  /** True when the exact p-value is ≥ 0.05: the data cannot tell the two settings apart. */
  withinNoise: boolean;
}

/**
 * Compares per-image correctness of two settings on the same images (same order): the gain of
 * the second over the first and McNemar's exact test on the images they disagree on.
 */
export function pairedGain(first: ArrayLike<boolean | number>, second: ArrayLike<boolean | number>): PairedGain {
  if (first.length !== second.length) {
    throw new RangeError(`Paired comparison needs the same images: ${first.length} and ${second.length} results`);
  }
  let onlyFirst = 0;
  let onlySecond = 0;
  for (let i = 0; i < first.length; i++) {
    const a = Boolean(first[i]);
    const b = Boolean(second[i]);
    if (a && !b) onlyFirst++;
    else if (b && !a) onlySecond++;
  }
  return gainFromCounts(onlyFirst, onlySecond, first.length);
}

/** The same as pairedGain, from the discordant counts and the number of images. */
export function gainFromCounts(onlyFirst: number, onlySecond: number, n: number): PairedGain {
  if (onlyFirst + onlySecond > n) throw new RangeError(`${onlyFirst + onlySecond} discordant images out of ${n}`);
  const test = mcnemarExact(onlyFirst, onlySecond);
  return { gain: n ? (onlySecond - onlyFirst) / n : 0, n, test, withinNoise: test.pValue >= NOISE_ALPHA };
}

/**
 * The smallest gain (a fraction of n) an exact McNemar test could call significant on n images
 * when the two settings disagree on `discordant` images: all of the gain must come from a split
 * of the discordant pairs, so the best case is every one of them favouring the same side.
 * With `discordant` unknown, pass the gain itself (the most favourable case: no image moves the
 * other way). Infinity when no split of so few pairs reaches p < 0.05.
 */
export function smallestSignificantGain(n: number, discordant: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`n must be a positive whole number, got ${n}`);
  const d = Math.min(n, Math.max(0, Math.round(discordant)));
  for (let low = Math.floor(d / 2); low >= 0; low--) {
    if (mcnemarExact(low, d - low).pValue < NOISE_ALPHA) return (d - 2 * low) / n;
  }
  return Infinity;
}

/** Fewest discordant images, all favouring one side, that an exact McNemar test calls significant (6: p = 0.031). */
export const MIN_SIGNIFICANT_DISCORDANT = (() => {
  let d = 1;
  while (mcnemarExact(0, d).pValue >= NOISE_ALPHA) d++;
  return d;
})();

/** Why a number should not be read as a result. */
export interface NoiseWarning {
  code: 'near-chance' | 'too-few-images';
  message: string;
}

/**
 * Warnings for an accuracy measured on n images of a `numClasses`-way task: near chance (chance
 * 1/numClasses lies within two interval half-widths of the accuracy), and too few images to see
 * a 1-point gain (a 1-point gain is 0.01·n images, and even with every discordant image on one
 * side an exact McNemar test needs MIN_SIGNIFICANT_DISCORDANT of them).
 */
export function noiseWarnings(accuracy: Proportion, numClasses: number): NoiseWarning[] {
  const warnings: NoiseWarning[] = [];
  if (accuracy.n === 0) return warnings;
  const chance = numClasses > 0 ? 1 / numClasses : 0;
  const half = (accuracy.ci95[1] - accuracy.ci95[0]) / 2;
  if (accuracy.value - chance <= 2 * half) {
    warnings.push({
      code: 'near-chance',
      message:
        `top-1 ${pct(accuracy.value)} is within two intervals of chance (${pct(chance)} for ${numClasses} classes): ` +
        'the model has barely learned; train longer or with a higher learning rate before reading resolution effects',
    });
  }
  const onePoint = Math.floor(0.01 * accuracy.n);
  if (onePoint < MIN_SIGNIFICANT_DISCORDANT) {
    const needed = Math.round(MIN_SIGNIFICANT_DISCORDANT / 0.01);
    warnings.push({
      code: 'too-few-images',
      message:
        `${accuracy.n} validation images cannot show a 1-point gain (that is ${onePoint} images; ` +
        `a paired test needs at least ${MIN_SIGNIFICANT_DISCORDANT}): use at least ${needed} validation images`,
    });
  }
  return warnings;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

function assertCounts(successes: number, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number ≥ 0, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be a whole number in [0, ${n}], got ${successes}`);
  }
}
