import type { ResolutionChart, ResolutionSeries, SweepProgressEvent } from '../../../shared/api/sweeps';
import { SweepHParams } from '../../../shared/hparams/sweep';
import { parseWholeList } from './hparam-form';
import type { LineSeries } from '../components/charts/LineChart.svelte';
import { overlaidStyle } from './overlaid-series';
import type { Marker } from '../components/charts/marker-plugin';

/** Palette slot per series kind: baseline, Fréchet, then the fine-tuned children in turn. */
const KIND_COLOR: Record<ResolutionSeries['kind'], number> = { baseline: 0, frechet: 1, finetuned: 2 };

/** Top-1 against K_test, one line per series (fine-tuned children take the following colours), each overlaid distinctly. */
export function resolutionLines(chart: ResolutionChart): LineSeries[] {
  let finetuned = 0;
  return chart.series.map((s, i) => ({
    label: s.label,
    points: [...s.points].sort((a, b) => a.kTest - b.kTest).map((p) => ({ x: p.kTest, y: p.top1 })),
    color: s.kind === 'finetuned' ? KIND_COLOR.finetuned + finetuned++ : KIND_COLOR[s.kind],
    dashed: s.kind === 'frechet',
    ...overlaidStyle(i),
  }));
}

/** Vertical markers at K_train and the apparent-size K_test* (when known). */
export function resolutionMarkers(chart: Pick<ResolutionChart, 'kTrain' | 'kTestStar'>): Marker[] {
  const markers: Marker[] = [{ x: chart.kTrain, label: `K_train ${chart.kTrain}`, tone: 'muted' }];
  if (chart.kTestStar !== null) markers.push({ x: chart.kTestStar, label: `K_test* ${chart.kTestStar}`, tone: 'accent' });
  return markers;
}

/** One cell group of the table: a series' scores at one K_test (null where it was not measured). */
export type ScoreCell = { top1: number; top5: number | null; loss: number | null } | null;

/** The table beneath the chart: one row per K_test measured by any series, one cell per series. */
export function resolutionRows(chart: ResolutionChart): { kTest: number; cells: ScoreCell[] }[] {
  const kTests = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.kTest)))].sort((a, b) => a - b);
  return kTests.map((kTest) => ({
    kTest,
    cells: chart.series.map((s) => {
      const p = s.points.find((q) => q.kTest === kTest);
      return p ? { top1: p.top1, top5: p.top5, loss: p.loss } : null;
    }),
  }));
}

/** How far a sweep is, 0…1: finished resolutions plus the fraction of the current pass. */
export function sweepFraction(p: Pick<SweepProgressEvent, 'index' | 'resolutions' | 'done' | 'total'>): number {
  if (p.resolutions <= 0) return 0;
  const within = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  return Math.min(1, (p.index + within) / p.resolutions);
}

/** Reads a K_test list typed as "16, 24 32": empty means the default plan. */
export function parseKTests(text: string): { kTests: number[]; error: string | null } {
  const { values, error } = parseWholeList(text, SweepHParams.shape.kTests);
  return { kTests: values, error };
}
