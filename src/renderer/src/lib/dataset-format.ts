import type { Inspection } from '../../../shared/api/datasets';

/** Scatter points for the size chart: radius grows with the square root of the count (area ∝ count). */
export function sizePoints(sizes: Inspection['sizes']): { x: number; y: number; r: number; label: string }[] {
  const max = Math.max(1, ...sizes.map((s) => s.count));
  return sizes.map((s) => ({
    x: s.width,
    y: s.height,
    r: 3 + 9 * Math.sqrt(s.count / max),
    label: `${s.width} × ${s.height}: ${s.count.toLocaleString()} image${s.count === 1 ? '' : 's'}`,
  }));
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
