import type { ScatterSeries } from '../components/charts/ScatterChart.svelte';
import type { Inspection } from '../../../shared/api/datasets';

/** The image-size scatter: one point per distinct size, its dot's area growing with the image count (radius ∝ √count). */
export function sizeSeries(sizes: Inspection['sizes']): ScatterSeries {
  const max = Math.max(1, ...sizes.map((s) => s.count));
  return {
    label: 'Image sizes',
    points: sizes.map((s) => ({ x: s.width, y: s.height })),
    names: sizes.map((s) => `${s.width} × ${s.height}: ${s.count.toLocaleString()} image${s.count === 1 ? '' : 's'}`),
    radii: sizes.map((s) => 3 + 9 * Math.sqrt(s.count / max)),
  };
}

/** Bar labels for aspect-ratio bins ("0.75–0.83"). */
export function aspectLabels(bins: Inspection['aspectRatios']): string[] {
  return bins.map((b) => `${b.lo.toFixed(2)}–${b.hi.toFixed(2)}`);
}

const SAMPLE_NAMES = { synthetic: 'Synthetic shapes', 'fashion-mnist': 'Fashion-MNIST', mnist: 'MNIST digits' } as const;

export function sampleName(kind: keyof typeof SAMPLE_NAMES): string {
  return SAMPLE_NAMES[kind];
}

export function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((100 * done) / total)) : 0;
}
