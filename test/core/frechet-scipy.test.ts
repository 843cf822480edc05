import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitFrechet, type FrechetFit } from '../../src/core/frechet';
import { hasScipy, runReference, SCIPY_MISSING } from '../helpers/python-reference';

interface ScipyFit {
  xi: number;
  mu: number;
  sigma: number;
  logLikelihood: number;
}
interface Fits {
  fixed: ScipyFit;
  free: ScipyFit;
  censored?: ScipyFit;
}
interface Recorded {
  scipy: string;
  cases: { name: string; values: number[]; fits: Fits }[];
}

/** Recorded by test/fixtures/reference/frechet_fits.py --record (Debian python3-scipy). */
const recorded = JSON.parse(
  readFileSync(new URL('../fixtures/reference/frechet-scipy.json', import.meta.url), 'utf8'),
) as Recorded;

/**
 * Same maximum: parameters within scipy's own optimiser tolerance (1e-3 of σ; ξ within 0.005 when
 * free), and a log-likelihood at least as high as scipy's, less rounding.
 */
function expectSameFit(ours: FrechetFit, scipy: ScipyFit, what: string): void {
  expect(Math.abs(ours.mu - scipy.mu) / scipy.sigma, `${what}: μ`).toBeLessThan(1e-3);
  expect(Math.abs(ours.sigma - scipy.sigma) / scipy.sigma, `${what}: σ`).toBeLessThan(1e-3);
  expect(Math.abs(ours.xi - scipy.xi), `${what}: ξ`).toBeLessThan(5e-3);
  expect(ours.logLikelihood, `${what}: log-likelihood`).toBeGreaterThan(scipy.logLikelihood - 1e-3);
  expect(ours.converged, `${what}: converged`).toBe(true);
}

function expectMatches(fits: Fits[]): void {
  recorded.cases.forEach((c, i) => {
    const f = fits[i]!;
    expectSameFit(fitFrechet(c.values, { xi: 0.3, zeros: 'include' }), f.fixed, `${c.name}, ξ fixed, zeros included`);
    expectSameFit(fitFrechet(c.values, { freeXi: true, zeros: 'include' }), f.free, `${c.name}, ξ free`);
    if (f.censored) expectSameFit(fitFrechet(c.values, { xi: 0.3, zeros: 'censored' }), f.censored, `${c.name}, zeros censored`);
  });
}

describe('fitFrechet against scipy.stats.genextreme (maximum likelihood)', () => {
  it(`finds scipy's fits on recorded data: ξ fixed, ξ free, and zeros censored at 0 (scipy ${recorded.scipy})`, () => {
    expect(recorded.cases.some((c) => c.fits.censored)).toBe(true);
    expectMatches(recorded.cases.map((c) => c.fits));
  });

  it.skipIf(!hasScipy())('finds the fits the scipy on this machine finds for the same values (live)', () => {
    expectMatches(
      runReference<Fits[]>(
        'frechet_fits.py',
        recorded.cases.map((c) => ({ values: c.values })),
      ),
    );
  });
  if (!hasScipy()) console.warn(`live scipy Fréchet comparison ${SCIPY_MISSING}`);
});
