import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/shared/errors';
import { observedCdf } from '../../src/core/frechet';
import { activationCurves, activationRows, defaultShownKTests, fittedDensity } from '../../src/renderer/src/lib/activations';
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
  kTestStar: null,
  bestKTest: null,
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

  it('says why a K_test has no adapted point: a fit that did not converge is not used', () => {
    const notConverged = { ...fit, converged: false };
    const rows = activationRows({
      ...view,
      series: [
        { ...view.series[0]!, frechet: notConverged },
        { ...view.series[1]!, adaptNote: 'the reference Fréchet fit did not converge' },
        view.series[2]!,
      ],
      reference: { ...view.reference!, frechet: notConverged },
    });
    const note = (label: string) => rows.find((r) => r.label === label)!.note;
    expect(note(String(view.series[0]!.kTest))).toBe('fit did not converge: not used for adaptation');
    expect(note(String(view.series[1]!.kTest))).toBe('the reference Fréchet fit did not converge');
    expect(note('train ref. (8)')).toBe('fit did not converge: no Fréchet series');
    expect(note(String(view.series[2]!.kTest))).toBeNull();
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
    expect([state.notFound, state.error]).toEqual([true, expect.stringMatching(/^No run with id 4\. It may have been deleted/)]);
  });
});

describe('which K_test the overlay draws', () => {
  const ten: ActivationsView = {
    ...view,
    kTrain: 24,
    kTestStar: 29,
    bestKTest: 36,
    series: [12, 16, 20, 24, 28, 32, 36, 40, 44, 48].map((k) => series(k, false)),
  };

  it('draws K_train, K_test* (nearest measured), the best and both extremes by default, not all ten', () => {
    expect(defaultShownKTests(ten)).toEqual([12, 24, 28, 36, 48]);
    expect(activationCurves(ten, defaultShownKTests(ten)).cdf.map((s) => s.label)).toEqual([
      'K_test 12',
      'K_test 24',
      'K_test 28',
      'K_test 36',
      'K_test 48',
      'train reference (8)',
      'train reference (8) fit',
    ]);
  });

  it('keeps each K_test’s colour when others are hidden', () => {
    const all = activationCurves(ten).cdf.find((s) => s.label === 'K_test 36')!;
    const some = activationCurves(ten, [36]).cdf.find((s) => s.label === 'K_test 36')!;
    expect(some.shade).toBe(all.shade);
  });

  it('lets the user add and remove sizes, show all, and go back to the defaults', async () => {
    const client = new FakeClient().handle('sweeps.activations', () => ten);
    const state = new ActivationsState(client, 1);
    await state.load();
    expect(state.shown).toEqual([12, 24, 28, 36, 48]);
    state.toggle(40);
    state.toggle(12);
    expect(state.shown).toEqual([24, 28, 36, 40, 48]);
    state.showAll(true);
    expect(state.shown).toHaveLength(10);
    state.showAll(false);
    expect(state.shown).toEqual([12, 24, 28, 36, 48]);
  });
});
