import { observedCdf } from '../../../core/frechet';
import type { FrechetParams } from '../../../shared/api/analysis';
import type { ActivationsView } from '../../../shared/api/sweeps';
import type { LineSeries } from '../components/charts/LineChart.svelte';

/** One curve of the view: counts on the shared grid, with its optional Fréchet fit. */
type Curve = { density: number[]; cdf: number[]; fittedCdf: number[] | null; frechet: FrechetParams | null };

/** Histograms (density per bin centre) and CDFs (at bin right edges), with the fits dashed, per K_test. */
export interface ActivationCurves {
  density: LineSeries[];
  cdf: LineSeries[];
}

/**
 * The K_test values drawn unless the user picks others: K_train, K_test*, the best one and the two
 * extremes (each the nearest measured size), so ten sweeps do not pile up into an unreadable overlay.
 */
export function defaultShownKTests(view: Pick<ActivationsView, 'series' | 'kTrain' | 'kTestStar' | 'bestKTest'>): number[] {
  const measured = [...new Set(view.series.map((s) => s.kTest))].sort((a, b) => a - b);
  if (!measured.length) return [];
  const nearest = (k: number) => measured.reduce((best, m) => (Math.abs(m - k) < Math.abs(best - k) ? m : best));
  const marks = [view.kTrain, view.kTestStar, view.bestKTest].filter((k): k is number => k !== null).map(nearest);
  return [...new Set([measured[0]!, measured.at(-1)!, ...marks])].sort((a, b) => a - b);
}

/**
 * The overlay of a run's pooled-feature distributions at the K_test values `shown` (default: all):
 * one colour per K_test along a sequential palette (small → large, over every measured K_test so a
 * colour stays with its size), the Fréchet fit of each dashed in the same colour, and the train
 * reference (what the classifier was trained on) in the accent series colour.
 */
export function activationCurves(view: ActivationsView, shown?: readonly number[]): ActivationCurves {
  const { edges } = view;
  const centres = edges.slice(0, -1).map((e, j) => (e + edges[j + 1]!) / 2);
  const rights = edges.slice(1);
  const ordered = [...view.series].sort((a, b) => a.kTest - b.kTest);
  const density: LineSeries[] = [];
  const cdf: LineSeries[] = [];
  const add = (curve: Curve, label: string, style: Pick<LineSeries, 'shade' | 'color'>) => {
    // The legend names each K_test once; a note says the dashed lines are the fits.
    density.push({ label, points: zip(centres, curve.density), noPoints: true, ...style });
    cdf.push({ label, points: zip(rights, curve.cdf), noPoints: true, ...style });
    if (!curve.frechet || !curve.fittedCdf) return;
    const fitLabel = `${label} fit`;
    density.push({
      label: fitLabel,
      points: zip(centres, fittedDensity(edges, curve.frechet)),
      dashed: true,
      noPoints: true,
      unlisted: true,
      ...style,
    });
    cdf.push({ label: fitLabel, points: zip(rights, curve.fittedCdf), dashed: true, noPoints: true, unlisted: true, ...style });
  };
  ordered.forEach((s, i) => {
    if (!shown || shown.includes(s.kTest))
      add(s, `K_test ${s.kTest}`, { shade: ordered.length > 1 ? i / (ordered.length - 1) : 1 });
  });
  if (view.reference) add(view.reference, `train reference (${view.reference.kTrain})`, { color: 0 });
  return { density, cdf };
}

/** The fit's probability per bin divided by the bin width, comparable with the observed density. */
export function fittedDensity(edges: readonly number[], fit: FrechetParams): number[] {
  // Just below the first edge, so a point mass at 0 (censored zeros) falls in the first bin, as the data's does.
  const cdfAt = (x: number, j: number) => observedCdf(j === 0 ? x - 1e-9 * Math.max(1, Math.abs(x)) : x, fit);
  return edges.slice(0, -1).map((e, j) => (cdfAt(edges[j + 1]!, j + 1) - cdfAt(e, j)) / (edges[j + 1]! - e));
}

/** One row of the statistics table per K_test (and the reference last). */
export interface ActivationRow {
  label: string;
  kTest: number | null;
  n: number | null;
  mean: number | null;
  std: number | null;
  zeroFraction: number | null;
  max: number | null;
  frechet: FrechetParams | null;
  /** Why the Fréchet adaptation was not used here (a fit missing or not converged), else null. */
  note: string | null;
}

export function activationRows(view: ActivationsView): ActivationRow[] {
  const rows: ActivationRow[] = [...view.series]
    .sort((a, b) => a.kTest - b.kTest)
    .map((s) => ({
      label: String(s.kTest),
      kTest: s.kTest,
      n: s.n,
      mean: s.mean,
      std: s.std,
      zeroFraction: s.zeroFraction,
      max: s.max,
      frechet: s.frechet,
      note: s.adaptNote ?? (s.frechet?.converged === false ? 'fit did not converge: not used for adaptation' : null),
    }));
  const ref = view.reference;
  if (ref)
    rows.push({
      label: `train ref. (${ref.kTrain})`,
      kTest: null,
      n: null,
      mean: null,
      std: null,
      zeroFraction: null,
      max: null,
      frechet: ref.frechet,
      note: ref.frechet.converged === false ? 'fit did not converge: no Fréchet series' : null,
    });
  return rows;
}

function zip(xs: readonly number[], ys: readonly number[]): { x: number; y: number }[] {
  return xs.map((x, i) => ({ x, y: ys[i] ?? 0 }));
}
