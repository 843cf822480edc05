import { describe, expect, it } from 'vitest';
import { adaptationNote } from '../../../src/engine/fixres/sweep-job';
import type { ActivationResult, ReferenceResult } from '../../../src/shared/jobs/sweep';

const fit = (converged?: boolean) => ({
  mu: 0.3,
  sigma: 0.5,
  xi: 0.3,
  zeros: 'censored' as const,
  ks: 0.01,
  ...(converged === undefined ? {} : { converged }),
});
const summary = {
  n: 10,
  nonFinite: 0,
  zeros: 0,
  mean: 1,
  std: 1,
  min: 0,
  max: 2,
  histogram: { accuracy: 0.01, positive: { offset: 0, counts: [] }, negative: { offset: 0, counts: [] } },
};
const at = (frechet: ActivationResult['frechet'], fitError: string | null = null): ActivationResult => ({
  kTest: 32,
  summary,
  frechet,
  fitError,
});
const reference = (frechet: ReferenceResult['frechet']): ReferenceResult => ({
  kTest: 24,
  summary,
  frechet,
  fitError: null,
  source: 'train-augment',
  images: 10,
});

describe('adaptationNote: only converged fits adapt', () => {
  it('adapts when both fits converged (or were stored before convergence was recorded)', () => {
    expect(adaptationNote(reference(fit(true)), at(fit(true)))).toBeNull();
    expect(adaptationNote(reference(fit()), at(fit()))).toBeNull();
  });

  it('says why it does not: the reference or the K_test fit did not converge, or is missing', () => {
    expect(adaptationNote(reference(fit(false)), at(fit(true)))).toBe('the reference Fréchet fit did not converge');
    expect(adaptationNote(reference(fit(true)), at(fit(false)))).toBe('the Fréchet fit at K_test 32 did not converge');
    expect(adaptationNote(reference(fit(true)), at(null, 'all non-zero values are equal'))).toBe(
      'no Fréchet fit at K_test 32 (all non-zero values are equal)',
    );
    expect(adaptationNote(null, at(fit(true)))).toBe('no reference fit');
  });
});
