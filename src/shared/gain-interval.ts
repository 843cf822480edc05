/*
 * The 95 % interval of a paired gain, from the counts every stored gain keeps (images only the
 * first setting got right, only the second, and all images). It lives in shared because the lab
 * sets it on every gain it measures (`ci95`, lab/sweeps/point-statistics.ts) and the store adds
 * it to workflow summaries stored before it was kept (store/documents/step-outputs.ts); the CLI,
 * the HTML report and the UI write it from there (shared/stats-text.ts). The rest of the
 * statistics is in core/stats.ts.
 */

/** ln P(X = j) for X ~ Binomial(n, p), j = 0 … n. */
function logPmf(n: number, p: number): Float64Array {
  const out = new Float64Array(n + 1);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let logChoose = 0;
  for (let j = 0; j <= n; j++) {
    out[j] = logChoose + (j ? j * lp : 0) + (n - j ? (n - j) * lq : 0);
    logChoose += Math.log(n - j) - Math.log(j + 1);
  }
  return out;
}

/** P(from ≤ X ≤ to) for X ~ Binomial(n, p), summed in log space. */
function binomialMass(n: number, p: number, from: number, to: number): number {
  const terms = logPmf(n, p).subarray(from, to + 1);
  let max = -Infinity;
  for (const v of terms) if (v > max) max = v;
  if (max === -Infinity) return 0;
  let sum = 0;
  for (const v of terms) sum += Math.exp(v - max);
  return Math.exp(max + Math.log(sum));
}

/** The p in (0, 1) where a monotone f crosses `target`, by bisection (f increasing when `rising`). */
function solve(f: (p: number) => number, target: number, rising: boolean): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-16; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target === rising) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Clopper–Pearson (exact) 95 % interval of k successes out of n, as scipy's
 * `binomtest(k, n).proportion_ci(method='exact')`: the p at which each one-sided tail is 2.5 %.
 */
export function exactInterval(k: number, n: number): [number, number] {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) {
    throw new RangeError(`Counts must be whole numbers with 0 ≤ successes ≤ n, got ${k} of ${n}`);
  }
  if (n === 0) return [0, 1];
  const lower = k === 0 ? 0 : solve((p) => binomialMass(n, p, k, n), 0.025, true);
  const upper = k === n ? 1 : solve((p) => binomialMass(n, p, 0, k), 0.025, false);
  return [lower, upper];
}

/**
 * 95 % interval of a paired gain (second minus first, a fraction of n), given the images the two
 * settings disagree on: conditional on their number d, the share π of them the second setting
 * wins has the exact interval above, and gain = d/n · (2π − 1). It is the interval the exact
 * McNemar test inverts, so it excludes 0 exactly when p < 0.05 ("within noise" ⇔ it holds 0).
 */
export function gainInterval(g: { onlyFirst: number; onlySecond: number; n: number }): [number, number] {
  const d = g.onlyFirst + g.onlySecond;
  if (d > g.n) throw new RangeError(`${d} discordant images out of ${g.n}`);
  if (d === 0) return [0, 0];
  const [lo, hi] = exactInterval(g.onlySecond, d);
  return [(d / g.n) * (2 * lo - 1), (d / g.n) * (2 * hi - 1)];
}
