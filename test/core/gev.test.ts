import { describe, expect, it } from 'vitest';
import {
  gevCdf,
  gevFromTail,
  gevLogPdf,
  gevPdf,
  gevQuantile,
  gevSupportBound,
  gevTail,
  sampleGev,
  type GevParams,
} from '../../src/core/gev';
import { Rng } from '../../src/core/rng';

const families: GevParams[] = [
  { mu: 0, sigma: 1, xi: 0.3 },
  { mu: 1.5, sigma: 0.2, xi: 1.2 },
  { mu: -3, sigma: 2, xi: 0 },
  { mu: 0.5, sigma: 0.7, xi: -0.4 },
];

describe('GEV distribution', () => {
  it.each(families)('has P(μ) = 1/e and quantile ∘ CDF = identity (%o)', (p) => {
    expect(gevCdf(p.mu, p)).toBeCloseTo(Math.exp(-1), 14);
    for (const q of [1e-9, 0.001, 0.1, 0.5, 0.9, 0.999, 1 - 1e-9]) {
      expect(gevCdf(gevQuantile(q, p), p)).toBeCloseTo(q, 12);
    }
    for (const t of [1e-8, 0.3, 4]) expect(gevTail(gevFromTail(t, p), p)).toBeCloseTo(t, 10);
  });

  it.each(families)('has a density that is the derivative of the CDF and integrates to its CDF (%o)', (p) => {
    const lo = gevQuantile(1e-7, p);
    const hi = gevQuantile(0.99, p);
    const steps = 50_000;
    const h = (hi - lo) / steps;
    let integral = 0;
    for (let i = 0; i <= steps; i++) integral += gevPdf(lo + i * h, p) * (i === 0 || i === steps ? 0.5 : 1) * h;
    expect(integral).toBeCloseTo(0.99 - 1e-7, 3);
    const x = gevQuantile(0.6, p);
    const e = 1e-6 * p.sigma;
    expect((gevCdf(x + e, p) - gevCdf(x - e, p)) / (2 * e)).toBeCloseTo(gevPdf(x, p), 6);
  });

  it('matches the hand-computed Fréchet CDF exp(−(1 + 0.3·z)^(−1/0.3)) at z = 2', () => {
    // 1.6^(−1/0.3) = exp(−3.33333 · 0.4700036) = 0.2087373; exp(−0.2087373) = 0.8116084.
    expect(gevCdf(2, { mu: 0, sigma: 1, xi: 0.3 })).toBeCloseTo(0.8116084, 6);
    expect(gevQuantile(0.8116084, { mu: 0, sigma: 1, xi: 0.3 })).toBeCloseTo(2, 5);
  });

  it('is zero below a Fréchet lower bound and one above a Weibull upper bound', () => {
    const frechet = { mu: 0, sigma: 1, xi: 0.5 };
    expect(gevSupportBound(frechet)).toBe(-2);
    expect(gevCdf(-2.0001, frechet)).toBe(0);
    expect(gevLogPdf(-2.5, frechet)).toBe(-Infinity);
    expect(gevQuantile(0, frechet)).toBe(-2);
    const weibull = { mu: 0, sigma: 1, xi: -0.5 };
    expect(gevSupportBound(weibull)).toBe(2);
    expect(gevCdf(2.5, weibull)).toBe(1);
    expect(gevSupportBound({ mu: 0, sigma: 1, xi: 0 })).toBeNull();
  });

  it('joins the Gumbel limit continuously as ξ → 0', () => {
    const gumbel = { mu: 1, sigma: 2, xi: 0 };
    const near = { mu: 1, sigma: 2, xi: 1e-7 };
    for (const x of [-3, 0, 1, 5, 12]) {
      expect(gevCdf(x, near)).toBeCloseTo(gevCdf(x, gumbel), 5);
      expect(gevLogPdf(x, near)).toBeCloseTo(gevLogPdf(x, gumbel), 5);
    }
  });

  it('samples with the analytic mean μ + σ(Γ(1 − ξ) − 1)/ξ', () => {
    // ξ = 0.2: Γ(0.8) = 1.1642297, mean = 1 + 0.5·0.1642297/0.2 = 1.41057; sd = 0.5·√(Γ(0.6) − Γ(0.8)²)/0.2 = 0.6775.
    const x = sampleGev({ mu: 1, sigma: 0.5, xi: 0.2 }, 50_000, Rng.fromSeed(3));
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    expect(Math.abs(mean - 1.41057)).toBeLessThan(4 * (0.6775 / Math.sqrt(x.length)));
  });
});
