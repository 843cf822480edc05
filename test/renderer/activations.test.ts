import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/shared/errors';
import { observedCdf } from '../../src/core/frechet';
import { activationCurves, activationRows, fittedDensity } from '../../src/renderer/src/lib/activations';
import { ActivationsState } from '../../src/renderer/src/state/activations.svelte';
import type { ActivationsView } from '../../src/shared/api/sweeps';
import { FakeClient } from './fake-client';

const fit = { mu: 1, sigma: 0.5, xi: 0.3, zeros: 'censored' as const, ks: 0.02 };
const edges = [0, 1, 2, 3];
const curve = { counts: [1, 2, 1], density: [0.25, 0.5, 0.25], cdf: [0.25, 0.75, 1], below: 0, above: 0 };
const series = (kTest: number, withFit: boolean) => ({
  kTest,
  n: 4,
  mean: 1.5,
  std: 0.8,
  zeroFraction: 0.25,
  min: 0,
  max: 3,
  frechet: withFit ? fit : null,
  ...curve,
  fittedCdf: withFit ? edges.slice(1).map((x) => observedCdf(x, fit)) : null,
});
const view: ActivationsView = {
  runId: 1,
  kTrain: 8,
  edges,
  series: [series(16, true), series(8, false), series(12, true)],
  reference: { source: 'train-augment', kTrain: 8, images: 20, frechet: fit, ...curve, fittedCdf: [0.3, 0.8, 0.95] },
};

describe('activation overlays', () => {
  it('colours K_test from small to large along the sequential palette, fits dashed, reference last', () => {
    const { density, cdf } = activationCurves(view);
    expect(cdf.map((s) => s.label)).toEqual([
      'K_test 8',
      'K_test 12',
      'K_test 12 fit',
      'K_test 16',
      'K_test 16 fit',
      'train reference (8)',
      'train reference (8) fit',
    ]);
    expect(cdf.map((s) => s.shade)).toEqual([0, 0.5, 0.5, 1, 1, undefined, undefined]);
    expect(cdf.filter((s) => s.dashed)).toHaveLength(3);
    expect(density[0]!.points.map((p) => p.x)).toEqual([0.5, 1.5, 2.5]);
    expect(cdf[0]!.points.map((p) => p.x)).toEqual([1, 2, 3]);
  });

  it('turns the fit into a density whose bins add up to its CDF at the last edge, zero mass included', () => {
    const density = fittedDensity([0, 0.5, 1, 2], fit);
    const mass = density[0]! * 0.5 + density[1]! * 0.5 + density[2]! * 1;
    expect(mass).toBeCloseTo(observedCdf(2, fit), 6);
  });

  it('tabulates one row per K_test in order, then the reference', () => {
    expect(activationRows(view).map((r) => r.label)).toEqual(['8', '12', '16', 'train ref. (8)']);
  });

  it('re-bins on request and ignores bin counts the lab would refuse', async () => {
    const client = new FakeClient().handle('sweeps.activations', () => view);
    const state = new ActivationsState(client, 1);
    await state.load();
    await state.setBins(20);
    await state.setBins(2);
    expect(client.callsTo('sweeps.activations')).toEqual([
      { runId: 1, bins: 60 },
      { runId: 1, bins: 20 },
    ]);
    expect(state.empty).toBe(false);
  });

  it('says when the run does not exist, from the error’s NotFound code', async () => {
    const client = new FakeClient().handle('sweeps.activations', () => {
      throw new LabError({ name: 'NoSuchRow', code: 'NotFound', message: 'No run with id 4', field: 'runId' });
    });
    const state = new ActivationsState(client, 4);
    await state.load();
    expect([state.notFound, state.error]).toEqual([true, 'No run with id 4']);
  });
});
