import type { FrechetModel } from './frechet';
import { gevFromTail, gevTail } from './gev';

/**
 * Quantile levels are kept within t = −ln P ∈ [1e-12, 1e12], so a feature beyond a fitted
 * support (possible for free ξ < 0, or below a ξ > 0 lower bound) maps to a finite value.
 */
const TAIL_MIN = 1e-12;
const TAIL_MAX = 1e12;
const LN2 = Math.log(2);

/**
 * Parametric adaptation (DESIGN §1): x ↦ F_to⁻¹(F_from(x)), mapping pooled features measured at
 * the test resolution (`from` fit) onto the train-resolution distribution (`to` fit). Done in
 * t = −ln F, so upper-tail features keep full precision. With censored zeros, an exact 0 stands
 * for the whole zero mass [0, F_from(0)] and maps to its mid level F_from(0)/2; a `to` model with
 * censored zeros clips the result at 0 (it is again a ReLU output). Writes into `out` if given.
 */
export function adaptFeatures(
  values: Float32Array,
  from: FrechetModel,
  to: FrechetModel,
  out: Float32Array = new Float32Array(values.length),
): Float32Array {
  if (out.length !== values.length) throw new RangeError('adaptFeatures: out must have the length of values');
  const zeroTail = from.zeros === 'censored' ? gevTail(0, from) + LN2 : 0;
  const clipAtZero = to.zeros === 'censored';
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const t = from.zeros === 'censored' && x <= 0 ? zeroTail : gevTail(x, from);
    const y = gevFromTail(Math.min(TAIL_MAX, Math.max(TAIL_MIN, t)), to);
    out[i] = clipAtZero && y < 0 ? 0 : y;
  }
  return out;
}
