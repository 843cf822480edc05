import { describe, expect, it } from 'vitest';
import { fitFrechet, frechetLogLikelihood, ksDistance, observedCdf } from '../../src/core/frechet';
import { sampleGev, type GevParams } from '../../src/core/gev';
import { Rng } from '../../src/core/rng';

const N = 5000;
// Spread of the estimates over 20 seeds at n = 5000 (μ 1.2, σ 0.5, ξ 0.3): sd(μ̂) ≈ sd(σ̂) ≈ 0.013σ,
// sd(ξ̂) ≈ 0.011 with ξ free. Tolerances are about 4.5 of those: 0.06σ for μ and σ, 0.05 for ξ.
const TOL = 0.06;

function draw(p: GevParams, n = N, seed = 1): Float64Array {
  return sampleGev(p, n, Rng.fromSeed(seed));
}

describe('fitFrechet (maximum likelihood)', () => {
  it.each([
    { mu: 1.2, sigma: 0.5, xi: 0.3 },
    { mu: -20, sigma: 6, xi: 0.3 },
    { mu: 0.004, sigma: 0.001, xi: 0.3 },
  ])('recovers μ and σ with ξ fixed at 0.3 (%o)', (truth) => {
    const fit = fitFrechet(draw(truth));
    expect(fit).toMatchObject({ xi: 0.3, freeXi: false, zeros: 'include', n: N, zeroFraction: 0, converged: true });
    expect(Math.abs(fit.mu - truth.mu)).toBeLessThan(TOL * truth.sigma);
    expect(Math.abs(fit.sigma - truth.sigma)).toBeLessThan(TOL * truth.sigma);
  });

  it.each([0.3, 0.1, -0.2, 0.8])('recovers ξ = %s when ξ is free', (xi) => {
    const truth = { mu: 1, sigma: 0.5, xi };
    const fit = fitFrechet(draw(truth, N, 2), { freeXi: true });
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.xi - xi)).toBeLessThan(0.05);
    expect(Math.abs(fit.mu - truth.mu)).toBeLessThan(TOL * truth.sigma);
    expect(Math.abs(fit.sigma - truth.sigma)).toBeLessThan(TOL * truth.sigma);
  });

  it('maximises the likelihood it reports, in the data’s own units', () => {
    const x = draw({ mu: 3, sigma: 2, xi: 0.3 });
    const fit = fitFrechet(x);
    expect(fit.logLikelihood).toBeCloseTo(frechetLogLikelihood(x, fit), 6);
    for (const [dm, ds] of [
      [0.02, 0],
      [-0.02, 0],
      [0, 0.02],
      [0, -0.02],
    ] as const) {
      expect(frechetLogLikelihood(x, { ...fit, mu: fit.mu + dm, sigma: fit.sigma + ds })).toBeLessThan(fit.logLikelihood);
    }
  });

  it('has a small KS distance for the true model and a large one for a wrong model', () => {
    const truth = { mu: 1, sigma: 0.5, xi: 0.3 };
    const x = draw(truth).sort();
    // 1.63/√n is the 1 % critical value of the KS statistic.
    expect(ksDistance(x, { ...truth, zeros: 'include' })).toBeLessThan(1.63 / Math.sqrt(N));
    expect(fitFrechet(x).ks).toBeLessThan(1.63 / Math.sqrt(N));
    expect(ksDistance(x, { mu: 1.3, sigma: 0.5, xi: 0.3, zeros: 'include' })).toBeGreaterThan(0.15);
    const rng = Rng.fromSeed(5);
    const uniform = Float64Array.from({ length: N }, () => rng.uniform());
    expect(fitFrechet(uniform).ks).toBeGreaterThan(0.05);
  });

  it('treats exact zeros after ReLU as censored: recovers the latent GEV and its zero mass', () => {
    const latent = { mu: 0.3, sigma: 0.5, xi: 0.3 };
    const x = draw(latent).map((v) => Math.max(0, v));
    const fit = fitFrechet(x);
    expect(fit.zeros).toBe('censored');
    expect(fit.zeroFraction).toBeCloseTo(x.filter((v) => v === 0).length / N, 12);
    expect(fit.zeroFraction).toBeGreaterThan(0.1);
    expect(Math.abs(fit.mu - latent.mu)).toBeLessThan(TOL * latent.sigma);
    expect(Math.abs(fit.sigma - latent.sigma)).toBeLessThan(TOL * latent.sigma);
    expect(observedCdf(0, fit)).toBeCloseTo(fit.zeroFraction, 1);
    expect(observedCdf(-1e-9, fit)).toBe(0);
    expect(fit.ks).toBeLessThan(1.63 / Math.sqrt(N));
    // Fitting the zeros as ordinary values cannot follow the spike at 0.
    expect(fitFrechet(x, { zeros: 'include' }).ks).toBeGreaterThan(5 * fit.ks);
  });

  it('refuses what it cannot fit, naming the culprit', () => {
    expect(() => fitFrechet([1, 2, Number.NaN, 4])).toThrow(/Value 3 is not a finite number/);
    expect(() => fitFrechet([0, 0, 0, 1, 1])).toThrow(/at least 3 distinct non-zero values, got 1/);
    expect(() => fitFrechet([1, 2, 3], { xi: 5 })).toThrow(/ξ must be within/);
    expect(() => fitFrechet([-1, 0, 2, 3], { zeros: 'censored' })).toThrow(/non-negative/);
    expect(fitFrechet([-1, 0, 2, 3, 5]).zeros).toBe('include');
  });
});
