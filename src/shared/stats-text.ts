import type { Accuracy, ImageSet, PairedGain } from './api/sweeps';

/*
 * How the CLI, the HTML report and the UI write accuracies, intervals and gains: one wording
 * everywhere, so "within noise" means the same thing in each.
 */

/** 0.8261 → "82.6 %". */
export function percentText(x: number | null | undefined): string {
  return x === null || x === undefined || Number.isNaN(x) ? '–' : `${(100 * x).toFixed(1)} %`;
}

/** [0.812, 0.840] → "[81.2, 84.0]". */
export function intervalText(ci: readonly [number, number]): string {
  return `[${(100 * ci[0]).toFixed(1)}, ${(100 * ci[1]).toFixed(1)}]`;
}

/** "82.6 % [81.2, 84.0]": a top-1 with its 95 % interval. */
export function accuracyText(a: Accuracy | null | undefined): string {
  return a ? `${percentText(a.top1)} ${intervalText(a.ci95)}` : '–';
}

/** "p = 0.012", "p < 0.001", "p = 1". */
export function pValueText(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  if (p >= 0.995) return 'p = 1';
  return `p = ${p.toPrecision(2)}`;
}

/** "+1.3 points" (signed, one decimal). */
export function pointsText(gain: number | null | undefined): string {
  if (gain === null || gain === undefined || Number.isNaN(gain)) return '–';
  const points = 100 * gain;
  return `${points >= 0 ? '+' : '−'}${Math.abs(points).toFixed(1)} points`;
}

/** A gain in points with its sign, for intervals: "+0.2", "−1.4", "0.0". */
function signedPoints(x: number): string {
  const points = (100 * x).toFixed(1);
  return Number(points) === 0 ? '0.0' : `${x > 0 ? '+' : '−'}${points.replace('-', '')}`;
}

/**
 * "+1.4 points [+0.3, +2.6] (p = 0.012)" or "−0.3 points [−1.5, +0.9] (p = 0.54, within noise)":
 * the gain, its 95 % interval (src/shared/gain-interval.ts, set where the gain is measured) and
 * McNemar's exact p-value.
 */
export function gainText(g: PairedGain | null | undefined): string {
  if (!g) return '–';
  const [lo, hi] = g.ci95;
  return `${pointsText(g.gain)} [${signedPoints(lo)}, ${signedPoints(hi)}] (${pValueText(g.pValue)}${g.withinNoise ? ', within noise' : ''})`;
}

const SET_WORDS: Record<ImageSet, string> = {
  all: 'all validation images',
  selection: 'the selection half of the validation images',
  'held-out': 'the held-out half of the validation images',
};

/** "the held-out half of the validation images" … */
export function imageSetText(set: ImageSet): string {
  return SET_WORDS[set];
}

/** "K_test picked on 500 images (the selection half …), numbers reported on 500 images (the held-out half …)". */
export function protocolText(images: { pickedOn: ImageSet; reportedOn: ImageSet; picked: number; reported: number }): string {
  if (images.pickedOn === images.reportedOn)
    return `K_test picked and reported on the same ${images.reported} images (${imageSetText(images.reportedOn)}): gains are overstated`;
  return (
    `K_test picked on ${images.picked} images (${imageSetText(images.pickedOn)}), ` +
    `numbers reported on ${images.reported} others (${imageSetText(images.reportedOn)})`
  );
}
