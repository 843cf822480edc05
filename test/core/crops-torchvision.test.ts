import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleTrainCrop } from '../../src/core/crops';
import { Rng } from '../../src/core/rng';
import {
  CROP_DISTRIBUTION_CASES,
  CROP_FALLBACK_CASES,
  cropStatistics,
  maxCdfGap,
  type Box4,
  type CropCase,
  type CropStatistics,
} from '../fixtures/reference/crop-cases';
import { hasReferencePython, REFERENCE_MISSING, runReference } from '../helpers/python-reference';

const recorded = JSON.parse(readFileSync(new URL('../fixtures/reference/torchvision-crops.json', import.meta.url), 'utf8')) as {
  distributions: CropStatistics[];
  fallbacks: Box4[];
};

function ourDraws(c: CropCase, n: number, seed: number): Box4[] {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: n }, () => {
    const b = sampleTrainCrop(c.width, c.height, c, rng);
    return [b.x, b.y, b.w, b.h];
  });
}

// Two-sample Kolmogorov–Smirnov critical value at α = 0.001 for 20 000 vs 20 000 draws is 0.0195.
const KS_20K = 0.0195;

describe('sampleTrainCrop against torchvision (recorded)', () => {
  it.each(
    CROP_DISTRIBUTION_CASES.map((c, i) => [
      `${c.width}×${c.height} scale ${c.scale} ratio ${c.ratio.map((r) => r.toFixed(2))}`,
      i,
    ]),
  )('draws boxes with the same distribution of x, y, w, h, area, ratio and fallbacks: %s', (_name, i) => {
    const c = CROP_DISTRIBUTION_CASES[i as number]!;
    const gaps = maxCdfGap(cropStatistics(ourDraws(c, c.n, 100 + (i as number)), c), recorded.distributions[i as number]!);
    for (const [name, gap] of Object.entries(gaps)) expect(gap, name).toBeLessThan(KS_20K);
  });

  it('returns exactly torchvision’s fallback box whenever nothing fits', () => {
    const ours = CROP_FALLBACK_CASES.map((c) => {
      const b = sampleTrainCrop(c.width, c.height, c, Rng.fromSeed(0));
      expect(b.fallback).toBe(true);
      return [b.x, b.y, b.w, b.h];
    });
    expect(ours).toEqual(recorded.fallbacks);
  });

  it('notices a sampler that differs (the statistic is not blind)', () => {
    const c = CROP_DISTRIBUTION_CASES[0]!;
    const skewed = { ...c, scale: [0.1, 1] as [number, number] };
    const gaps = maxCdfGap(cropStatistics(ourDraws(skewed, c.n, 7), c), recorded.distributions[0]!);
    expect(gaps.area).toBeGreaterThan(KS_20K);
  });
});

describe.skipIf(!hasReferencePython())('sampleTrainCrop against torchvision (live, Debian python3-torchvision)', () => {
  it('matches fresh torchvision draws and fallbacks', () => {
    const n = 5000;
    const cases = CROP_DISTRIBUTION_CASES.map((c) => ({ ...c, n }));
    const theirs = runReference<Box4[][]>('torchvision_crops.py', { seed: 1, cases });
    // KS critical value at α = 0.001 for 5 000 (torchvision) vs 20 000 (ours) draws.
    const critical = 1.949 * Math.sqrt(1 / n + 1 / 20000);
    cases.forEach((c, i) => {
      const gaps = maxCdfGap(cropStatistics(ourDraws(c, 20000, 200 + i), c), cropStatistics(theirs[i]!, c));
      for (const [name, gap] of Object.entries(gaps)) expect(gap, `${c.width}×${c.height} ${name}`).toBeLessThan(critical);
    });
    const fallbacks = runReference<Box4[][]>('torchvision_crops.py', { seed: 2, cases: CROP_FALLBACK_CASES });
    expect(CROP_FALLBACK_CASES.map((c) => sampleTrainCrop(c.width, c.height, c, Rng.fromSeed(3)))).toEqual(
      fallbacks.map((boxes) => {
        const [x, y, w, h] = boxes[0]!;
        return { x, y, w, h, fallback: true };
      }),
    );
  });
});

if (!hasReferencePython()) console.warn(`torchvision live comparison ${REFERENCE_MISSING}`);
