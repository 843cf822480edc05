import type { Rng } from './rng';

/**
 * The generalised extreme-value (GEV) distribution the paper fits to pooled activations:
 * P(x) = exp(−(1 + ξ(x − μ)/σ)^(−1/ξ)) where 1 + ξ(x − μ)/σ > 0. ξ > 0 is the Fréchet family
 * (lower bound μ − σ/ξ, heavy right tail); ξ = 0 is Gumbel; ξ < 0 Weibull (upper bound).
 */
export interface GevParams {
  mu: number;
  sigma: number;
  xi: number;
}

/** |ξ| below this uses the Gumbel limit, where the general formula loses precision. */
const GUMBEL_XI = 1e-9;

/**
 * t(x) = (1 + ξz)^(−1/ξ) = −ln P(x): +∞ below the support, 0 above it. Working in t instead of
 * P keeps full precision in the upper tail, where P rounds to 1.
 */
export function gevTail(x: number, p: GevParams): number {
  const z = (x - p.mu) / p.sigma;
  if (Math.abs(p.xi) < GUMBEL_XI) return Math.exp(-z);
  const a = 1 + p.xi * z;
  if (a <= 0) return p.xi > 0 ? Infinity : 0;
  return Math.exp(-Math.log(a) / p.xi);
}

/** The x with tail value t: μ + (σ/ξ)(t^(−ξ) − 1), the quantile at P = exp(−t). */
export function gevFromTail(t: number, p: GevParams): number {
  if (Math.abs(p.xi) < GUMBEL_XI) return p.mu - p.sigma * Math.log(t);
  return p.mu + (p.sigma / p.xi) * (Math.exp(-p.xi * Math.log(t)) - 1);
}

/** P(X ≤ x). */
export function gevCdf(x: number, p: GevParams): number {
  return Math.exp(-gevTail(x, p));
}

/** F⁻¹(q) = μ + (σ/ξ)((−ln q)^(−ξ) − 1) for q in [0, 1]. */
export function gevQuantile(q: number, p: GevParams): number {
  return gevFromTail(-Math.log(q), p);
}

/** ln f(x) = −ln σ − (1 + 1/ξ) ln(1 + ξz) − (1 + ξz)^(−1/ξ); −∞ outside the support. */
export function gevLogPdf(x: number, p: GevParams): number {
  const z = (x - p.mu) / p.sigma;
  if (Math.abs(p.xi) < GUMBEL_XI) return -Math.log(p.sigma) - z - Math.exp(-z);
  const a = 1 + p.xi * z;
  if (a <= 0) return -Infinity;
  const logA = Math.log(a);
  return -Math.log(p.sigma) - (1 + 1 / p.xi) * logA - Math.exp(-logA / p.xi);
}

/** f(x), the density. */
export function gevPdf(x: number, p: GevParams): number {
  return Math.exp(gevLogPdf(x, p));
}

/** The finite end of the support: lower bound for ξ > 0, upper bound for ξ < 0, none for ξ = 0. */
export function gevSupportBound(p: GevParams): number | null {
  return Math.abs(p.xi) < GUMBEL_XI ? null : p.mu - p.sigma / p.xi;
}

/** n draws by inversion, t = −ln U with U uniform in (0, 1). */
export function sampleGev(p: GevParams, n: number, rng: Rng): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let u = 0;
    while (u === 0) u = rng.uniform();
    out[i] = gevFromTail(-Math.log(u), p);
  }
  return out;
}
