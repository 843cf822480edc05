import { gevFromTail, gevLogPdf, gevTail, type GevParams } from './gev';
import { nelderMead } from './nelder-mead';

/**
 * How exact zeros (pooled features after ReLU) enter the fit.
 * - `censored`: the features are max(0, Y) with Y ~ GEV. A zero contributes ln P(Y ≤ 0), a
 *   positive value its density, so the zero mass is explained by the same μ, σ, ξ.
 * - `include`: every value is a GEV draw, zeros included (right for data that is not clipped).
 */
export type ZeroTreatment = 'censored' | 'include';

/** A fitted pooled-feature distribution: GEV parameters plus how zeros are modelled. */
export interface FrechetModel extends GevParams {
  zeros: ZeroTreatment;
}

export interface FrechetFitOptions {
  /** Shape ξ when it is fixed (default 0.3, the paper's choice). */
  xi?: number;
  /** Fit ξ too, within XI_RANGE. */
  freeXi?: boolean;
  /** 'auto' (default): censored when values are ≥ 0 and some are exactly 0, else include. */
  zeros?: ZeroTreatment | 'auto';
  maxIterations?: number;
}

export interface FrechetFit extends FrechetModel {
  n: number;
  zeroFraction: number;
  freeXi: boolean;
  /** Log-likelihood of the data under the fit, in the data's own units. */
  logLikelihood: number;
  /** Kolmogorov–Smirnov distance between the data and the fitted distribution of the observed values. */
  ks: number;
  converged: boolean;
  iterations: number;
}

export const DEFAULT_XI = 0.3;
/** ξ the fit accepts: below −0.5 maximum likelihood is irregular, above 2 nothing we model lives. */
export const XI_RANGE: readonly [number, number] = [-0.5, 2];
const FREE_XI_STARTS = [-0.3, -0.1, 0, 0.1, 0.3, 0.5, 0.8, 1.2];

/**
 * Maximum-likelihood fit of μ, σ (and ξ when free). The data are standardised by median and
 * IQR, started from a least-squares quantile match (the best of several ξ when ξ is free), and
 * polished by Nelder–Mead in (μ, ln σ[, ξ]) where points outside the support score −∞.
 */
export function fitFrechet(values: ArrayLike<number>, options: FrechetFitOptions = {}): FrechetFit {
  const xiFixed = options.xi ?? DEFAULT_XI;
  const freeXi = options.freeXi ?? false;
  if (!freeXi && !(xiFixed >= XI_RANGE[0] && xiFixed <= XI_RANGE[1]))
    throw new RangeError(`ξ must be within [${XI_RANGE[0]}, ${XI_RANGE[1]}], got ${xiFixed}`);
  const data = prepare(values, options.zeros ?? 'auto');
  const { positive, censoredCount, zeros } = data;
  const loc = quantileOfSorted(positive, 0.5);
  let scale = (quantileOfSorted(positive, 0.75) - quantileOfSorted(positive, 0.25)) / 1.349;
  if (!(scale > 0)) scale = (positive[positive.length - 1]! - positive[0]!) / 4;
  if (!(scale > 0)) throw new RangeError('Cannot fit a distribution: all non-zero values are equal');
  const u = positive.map((x) => (x - loc) / scale);
  const c0 = -loc / scale;
  const censoredFraction = censoredCount / data.n;
  const logLik = (p: GevParams) => logLikelihood(u, censoredCount, c0, p);

  const candidates = (freeXi ? FREE_XI_STARTS : [xiFixed]).map((xi) =>
    quantileStart(u, censoredFraction, c0, censoredCount > 0, xi),
  );
  const start = candidates.reduce((a, b) => (logLik(b) > logLik(a) ? b : a));
  const objective = (x: number[]): number => {
    const xi = freeXi ? x[2]! : xiFixed;
    if (xi < XI_RANGE[0] || xi > XI_RANGE[1]) return Infinity;
    return -logLik({ mu: x[0]!, sigma: Math.exp(x[1]!), xi }) / data.n;
  };
  const x0 = freeXi ? [start.mu, Math.log(start.sigma), start.xi] : [start.mu, Math.log(start.sigma)];
  const step = freeXi ? [0.1, 0.1, 0.05] : [0.1, 0.1];
  const maxIterations = options.maxIterations ?? 2000;
  let result = nelderMead(objective, x0, { step, maxIterations });
  // A restart from the optimum catches the simplex collapsing early, a known Nelder–Mead failure.
  const restart = nelderMead(objective, result.x, { step: step.map((s) => s / 10), maxIterations });
  result = { ...restart, iterations: result.iterations + restart.iterations };
  const std: GevParams = { mu: result.x[0]!, sigma: Math.exp(result.x[1]!), xi: freeXi ? result.x[2]! : xiFixed };
  const model: FrechetModel = { mu: loc + scale * std.mu, sigma: scale * std.sigma, xi: std.xi, zeros };
  return {
    ...model,
    n: data.n,
    zeroFraction: data.zeroCount / data.n,
    freeXi,
    logLikelihood: -result.f * data.n - positive.length * Math.log(scale),
    ks: ksDistance(data.sorted, model),
    converged: result.converged,
    iterations: result.iterations,
  };
}

/** Log-likelihood of raw values under a model (zeros censored at 0 if the model says so). */
export function frechetLogLikelihood(values: ArrayLike<number>, model: FrechetModel): number {
  const data = prepare(values, model.zeros);
  return logLikelihood(data.positive, data.censoredCount, 0, model);
}

/** CDF of the observed feature: for `censored`, P(max(0, Y) ≤ x), which jumps at 0. */
export function observedCdf(x: number, model: FrechetModel): number {
  if (model.zeros === 'censored' && x < 0) return 0;
  return Math.exp(-gevTail(x, model));
}

/**
 * Kolmogorov–Smirnov distance sup |F_n − F| between sorted data and a model's observed CDF,
 * checked on both sides of every distinct value (ties and the jump at 0 included).
 */
export function ksDistance(sorted: Float64Array, model: FrechetModel): number {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n;) {
    const v = sorted[i]!;
    let j = i;
    while (j + 1 < n && sorted[j + 1] === v) j++;
    const f = observedCdf(v, model);
    const fLeft = model.zeros === 'censored' && v === 0 ? 0 : f;
    d = Math.max(d, Math.abs((j + 1) / n - f), Math.abs(fLeft - i / n));
    i = j + 1;
  }
  return d;
}

/** Linear-interpolated quantile (type 7) of ascending data. */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

interface Prepared {
  n: number;
  sorted: Float64Array;
  /** The values that enter through their density (all of them unless zeros are censored), ascending. */
  positive: Float64Array;
  /** Exact zeros in the data, and how many of them enter as censored (all or none). */
  zeroCount: number;
  censoredCount: number;
  zeros: ZeroTreatment;
}

function prepare(values: ArrayLike<number>, requested: ZeroTreatment | 'auto'): Prepared {
  const sorted = Float64Array.from(values);
  for (let i = 0; i < sorted.length; i++)
    if (!Number.isFinite(sorted[i])) throw new RangeError(`Value ${i + 1} is not a finite number (${sorted[i]})`);
  sorted.sort();
  const zeroCount = sorted.filter((v) => v === 0).length;
  const nonNegative = sorted.length > 0 && sorted[0]! >= 0;
  if (requested === 'censored' && !nonNegative) throw new RangeError('Censoring zeros needs non-negative values');
  const zeros: ZeroTreatment = requested === 'auto' ? (nonNegative && zeroCount > 0 ? 'censored' : 'include') : requested;
  const positive = zeros === 'censored' ? sorted.filter((v) => v !== 0) : sorted;
  const distinct = new Set(positive).size;
  if (distinct < 3)
    throw new RangeError(`A fit needs at least 3 distinct ${zeros === 'censored' ? 'non-zero ' : ''}values, got ${distinct}`);
  return { n: sorted.length, sorted, positive, zeroCount, censoredCount: zeros === 'censored' ? zeroCount : 0, zeros };
}

function logLikelihood(u: Float64Array, censored: number, c0: number, p: GevParams): number {
  let sum = 0;
  for (let i = 0; i < u.length; i++) {
    const l = gevLogPdf(u[i]!, p);
    if (l === -Infinity) return -Infinity;
    sum += l;
  }
  if (censored > 0) {
    const t0 = gevTail(c0, p);
    if (t0 === Infinity) return -Infinity;
    sum -= censored * t0;
  }
  return sum;
}

/**
 * Least-squares fit of x_p = μ + σ·g(p) to nine empirical quantiles above the zero mass, g the
 * standard GEV quantile, then moved so every value (and 0 when censored) lies inside the support.
 */
function quantileStart(u: Float64Array, zeroFraction: number, c0: number, censored: boolean, xi: number): GevParams {
  const g: number[] = [];
  const x: number[] = [];
  for (let k = 1; k <= 9; k++) {
    const level = k / 10;
    g.push(gevFromTail(-Math.log(zeroFraction + (1 - zeroFraction) * level), { mu: 0, sigma: 1, xi }));
    x.push(quantileOfSorted(u, level));
  }
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const gm = mean(g);
  const xm = mean(x);
  const cov = g.reduce((s, gi, i) => s + (gi - gm) * (x[i]! - xm), 0);
  const varG = g.reduce((s, gi) => s + (gi - gm) ** 2, 0);
  const sigma = cov > 0 && varG > 0 ? cov / varG : 1;
  let mu = xm - sigma * gm;
  const lowest = censored ? Math.min(u[0]!, c0) : u[0]!;
  const highest = u[u.length - 1]!;
  if (xi > 0 && mu - sigma / xi >= lowest) mu = lowest - 0.5 + sigma / xi;
  if (xi < 0 && mu - sigma / xi <= highest) mu = highest + 0.5 + sigma / xi;
  return { mu, sigma, xi };
}
