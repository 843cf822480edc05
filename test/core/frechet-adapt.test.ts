import { describe, expect, it } from 'vitest';
import { fitFrechet, type FrechetModel } from '../../src/core/frechet';
import { adaptFeatures } from '../../src/core/frechet-adapt';
import { gevCdf, gevFromTail, gevQuantile } from '../../src/core/gev';
import { Rng } from '../../src/core/rng';

const test: FrechetModel = { mu: 2, sigma: 0.4, xi: 0.2, zeros: 'include' };
const ref: FrechetModel = { mu: 1, sigma: 0.8, xi: 0.2, zeros: 'include' };

function uniforms(n: number, seed: number): Float64Array {
  const rng = Rng.fromSeed(seed);
  return Float64Array.from({ length: n }, () => {
    let u = 0;
    while (u === 0) u = rng.uniform();
    return u;
  });
}

describe('adaptFeatures (quantile mapping x ↦ F_ref⁻¹(F_test(x)))', () => {
  it('sends each test-distribution quantile to the same reference quantile', () => {
    const u = uniforms(2000, 1);
    const x = Float32Array.from(u, (q) => gevQuantile(q, test));
    const y = adaptFeatures(x, test, ref);
    u.forEach((q, i) => expect(y[i]).toBeCloseTo(gevQuantile(q, ref), 4));
  });

  it('gives mapped samples the reference mean and standard deviation', () => {
    // ξ = 0.2: mean = μ + σ(Γ(0.8) − 1)/ξ, sd = σ√(Γ(0.6) − Γ(0.8)²)/ξ, Γ(0.8) = 1.1642297, Γ(0.6) = 1.4891923.
    const g1 = 1.1642297;
    const g2 = 1.4891923;
    const x = Float32Array.from(uniforms(50_000, 2), (q) => gevQuantile(q, test));
    const y = adaptFeatures(x, test, ref);
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const sd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length);
    const refSd = (ref.sigma * Math.sqrt(g2 - g1 * g1)) / ref.xi;
    expect(Math.abs(mean - (ref.mu + (ref.sigma * (g1 - 1)) / ref.xi))).toBeLessThan((4 * refSd) / Math.sqrt(y.length));
    expect(Math.abs(sd - refSd) / refSd).toBeLessThan(0.03);
  });

  it('maps features fitted at one resolution onto the fit at another (fit → adapt → refit)', () => {
    const x = Float32Array.from(uniforms(5000, 3), (q) => gevQuantile(q, { ...test, xi: 0.3 }));
    const fromFit = fitFrechet(x);
    const toModel: FrechetModel = { mu: 0.7, sigma: 0.9, xi: 0.3, zeros: 'include' };
    const refit = fitFrechet(adaptFeatures(x, fromFit, toModel));
    expect(refit.mu).toBeCloseTo(toModel.mu, 6);
    expect(refit.sigma).toBeCloseTo(toModel.sigma, 6);
  });

  it('is the identity for identical fits and preserves order', () => {
    const x = Float32Array.from([0.5, 1.7, 2, 2.3, 9]);
    expect(Array.from(adaptFeatures(x, test, test))).toEqual(Array.from(x).map((v) => expect.closeTo(v, 5)));
    const y = adaptFeatures(x, test, ref);
    for (let i = 1; i < y.length; i++) expect(y[i]).toBeGreaterThan(y[i - 1]!);
  });

  it('maps censored zeros to the middle of their quantile range and clips at 0 for a ReLU reference', () => {
    const from: FrechetModel = { mu: 0.2, sigma: 0.5, xi: 0.3, zeros: 'censored' };
    const fewerZeros: FrechetModel = { mu: 1.5, sigma: 0.5, xi: 0.3, zeros: 'censored' };
    const moreZeros: FrechetModel = { mu: -0.5, sigma: 0.5, xi: 0.3, zeros: 'censored' };
    const zero = Float32Array.from([0]);
    const p0 = gevCdf(0, from);
    expect(adaptFeatures(zero, from, fewerZeros)[0]).toBeCloseTo(gevQuantile(p0 / 2, fewerZeros), 5);
    expect(adaptFeatures(zero, from, moreZeros)[0]).toBe(0);
    expect(adaptFeatures(Float32Array.from([0.01]), from, moreZeros)[0]).toBe(0);
  });

  it('keeps features beyond a fitted support finite', () => {
    const bounded: FrechetModel = { mu: 0, sigma: 1, xi: -0.4, zeros: 'include' };
    const y = adaptFeatures(Float32Array.from([10, -100]), bounded, ref);
    expect(y.every(Number.isFinite)).toBe(true);
    expect(y[0]).toBeCloseTo(gevFromTail(1e-12, ref), 0);
    expect(() => adaptFeatures(new Float32Array(3), test, ref, new Float32Array(2))).toThrow(/length/);
  });
});
