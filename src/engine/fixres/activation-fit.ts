import { ActivationAccumulator } from '../../core/activation-stats';
import { fitFrechet } from '../../core/frechet';
import type { ActivationResult, ActivationSettings } from '../../shared/jobs/sweep';

/** A fresh accumulator for one pass: streaming summary plus a seeded reservoir for the fit. */
export function newAccumulator(settings: ActivationSettings): ActivationAccumulator {
  return new ActivationAccumulator({ reservoir: { size: settings.reservoir, seed: settings.seed } });
}

/**
 * The summary of one pass and the Fréchet fit of its reservoir sample (ξ fixed or free, zeros
 * censored when the features are ReLU outputs with exact zeros). A fit that cannot be made
 * (e.g. fewer than 3 distinct non-zero values) is reported, not thrown: the statistics stand alone.
 */
export function summariseActivations(
  kTest: number,
  accumulator: ActivationAccumulator,
  settings: ActivationSettings,
): ActivationResult {
  const summary = accumulator.summary();
  try {
    const fit = fitFrechet(accumulator.sample(), settings.freeXi ? { freeXi: true } : { xi: settings.xi });
    return {
      kTest,
      summary,
      frechet: { mu: fit.mu, sigma: fit.sigma, xi: fit.xi, zeros: fit.zeros, ks: fit.ks, converged: fit.converged },
      fitError: null,
    };
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return { kTest, summary, frechet: null, fitError: err.message };
  }
}
