import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  gainFromCounts,
  mcnemarExact,
  MIN_SIGNIFICANT_DISCORDANT,
  noiseWarnings,
  pairedGain,
  proportion,
  smallestSignificantGain,
  wilsonInterval,
} from '../../src/core/stats';
import { exactInterval, gainInterval } from '../../src/shared/gain-interval';
import { STATS_CASES } from '../fixtures/reference/stats-cases';
import { hasScipy, runReference, SCIPY_MISSING } from '../helpers/python-reference';

interface ScipyStats {
  scipy: string;
  wilson: [number, number][];
  exact: [number, number][];
  mcnemar: number[];
}

const recorded = JSON.parse(
  readFileSync(new URL('../fixtures/reference/scipy-stats.json', import.meta.url), 'utf8'),
) as ScipyStats;

function expectMatches(reference: ScipyStats): void {
  STATS_CASES.wilson.forEach(([k, n], i) => {
    const [lo, hi] = wilsonInterval(k, n);
    expect(lo, `Wilson lower ${k}/${n}`).toBeCloseTo(reference.wilson[i]![0], 12);
    expect(hi, `Wilson upper ${k}/${n}`).toBeCloseTo(reference.wilson[i]![1], 12);
  });
  STATS_CASES.wilson.forEach(([k, n], i) => {
    const [lo, hi] = exactInterval(k, n);
    expect(lo, `Clopper-Pearson lower ${k}/${n}`).toBeCloseTo(reference.exact[i]![0], 10);
    expect(hi, `Clopper-Pearson upper ${k}/${n}`).toBeCloseTo(reference.exact[i]![1], 10);
  });
  STATS_CASES.mcnemar.forEach(([b, c], i) => {
    const expected = reference.mcnemar[i]!;
    const { pValue } = mcnemarExact(b, c);
    // Relative agreement: p-values span many decades.
    expect(Math.abs(pValue - expected) / Math.max(expected, 1e-300), `McNemar ${b} vs ${c}`).toBeLessThan(1e-9);
  });
}

describe('stats against scipy.stats.binomtest', () => {
  it('gives the Wilson and Clopper-Pearson intervals and the exact McNemar p-value scipy recorded (scipy-stats.json)', () => {
    expectMatches(recorded);
  });

  it.skipIf(!hasScipy())('gives the same numbers as the scipy on this machine (live)', () => {
    expectMatches(runReference<ScipyStats>('scipy_stats.py', STATS_CASES));
  });
  if (!hasScipy()) console.warn(`live scipy comparison ${SCIPY_MISSING}`);
});

describe('gainInterval (the 95 % interval of a paired gain)', () => {
  it('is d/n·(2π − 1) over the exact interval of the share π of disagreeing images the second setting wins', () => {
    const [lo, hi] = exactInterval(11, 15);
    expect(gainInterval({ onlyFirst: 4, onlySecond: 11, n: 500 })).toEqual([
      (15 / 500) * (2 * lo - 1),
      (15 / 500) * (2 * hi - 1),
    ]);
    expect(gainInterval({ onlyFirst: 0, onlySecond: 0, n: 500 })).toEqual([0, 0]);
    expect(() => gainInterval({ onlyFirst: 3, onlySecond: 3, n: 5 })).toThrow(/6 discordant images out of 5/);
  });

  it('holds 0 exactly when McNemar’s exact test says "within noise"', () => {
    for (let b = 0; b <= 40; b++) {
      for (let c = 0; c <= 40; c++) {
        const [lo, hi] = gainInterval({ onlyFirst: b, onlySecond: c, n: 1000 });
        const holdsZero = lo <= 0 && hi >= 0;
        expect(holdsZero, `${b} vs ${c}`).toBe(gainFromCounts(b, c, 1000).withinNoise);
      }
    }
  });
});

describe('wilsonInterval', () => {
  it('matches the textbook formula at 3/10 and stays inside [0, 1] at the ends', () => {
    const z = 1.959963984540054;
    const centre = (3 + (z * z) / 2) / (10 + z * z);
    const half = (z / (10 + z * z)) * Math.sqrt((3 * 7) / 10 + (z * z) / 4);
    expect(wilsonInterval(3, 10)).toEqual([expect.closeTo(centre - half, 14), expect.closeTo(centre + half, 14)]);
    expect(wilsonInterval(0, 5)[0]).toBe(0);
    expect(wilsonInterval(5, 5)[1]).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });

  it('refuses counts that are not a proportion', () => {
    expect(() => wilsonInterval(4, 3)).toThrow(/successes/);
    expect(() => wilsonInterval(1.5, 3)).toThrow(/successes/);
    expect(() => wilsonInterval(0, -1)).toThrow(/n must/);
  });
});

describe('mcnemarExact', () => {
  it('is symmetric in the two settings, 1 without discordant pairs and 1 for a tie', () => {
    expect(mcnemarExact(4, 12).pValue).toBe(mcnemarExact(12, 4).pValue);
    expect(mcnemarExact(0, 0).pValue).toBe(1);
    expect(mcnemarExact(7, 7).pValue).toBe(1);
  });

  it('needs 6 one-sided discordant images for p < 0.05 (2·0.5⁶ = 0.03125)', () => {
    expect(mcnemarExact(0, 5).pValue).toBeCloseTo(0.0625, 15);
    expect(mcnemarExact(0, 6).pValue).toBeCloseTo(0.03125, 15);
    expect(MIN_SIGNIFICANT_DISCORDANT).toBe(6);
  });

  it('gives a mid-p value below the exact one by the probability of the observed count', () => {
    const { pValue, midPValue } = mcnemarExact(4, 12);
    // P(X = 4), X ~ Binomial(16, 1/2) = C(16, 4)/2^16 = 1820/65536.
    expect(pValue - midPValue).toBeCloseTo(1820 / 65536, 14);
  });

  it('stays finite and accurate for millions of discordant images', () => {
    const p = mcnemarExact(1_000_000, 1_000_000).pValue;
    expect(p).toBeCloseTo(1, 9);
    expect(mcnemarExact(1_000_000, 1_010_000).pValue).toBeGreaterThan(0);
  });
});

describe('pairedGain', () => {
  it('counts the discordant images, the gain of the second setting and whether it is within noise', () => {
    const first = [1, 1, 0, 0, 1, 0, 0, 0, 0, 0];
    const second = [1, 0, 1, 1, 1, 1, 1, 1, 1, 0];
    const g = pairedGain(first, second);
    expect(g.test.onlyFirst).toBe(1);
    expect(g.test.onlySecond).toBe(6);
    expect(g.gain).toBeCloseTo(0.5, 12);
    expect(g.test.pValue).toBeCloseTo(mcnemarExact(1, 6).pValue, 15);
    expect(g.withinNoise).toBe(true);
    expect(gainFromCounts(0, 20, 1000).withinNoise).toBe(false);
  });

  it('refuses results of different lengths', () => {
    expect(() => pairedGain([1, 0], [1])).toThrow(/same images/);
  });
});

describe('smallestSignificantGain and noiseWarnings', () => {
  it('is 6 images when every discordant image favours one side, more when they split', () => {
    expect(smallestSignificantGain(1000, 6)).toBeCloseTo(0.006, 12);
    expect(smallestSignificantGain(1000, 5)).toBe(Infinity);
    const g = smallestSignificantGain(1000, 100);
    expect(g).toBeGreaterThan(0.006);
    const discordantSplit = Math.round(100 * (1 - g * 10)) / 2;
    expect(mcnemarExact(discordantSplit, 100 - discordantSplit).pValue).toBeLessThan(0.05);
  });

  it('warns near chance and for a validation set too small to see a 1-point gain', () => {
    expect(noiseWarnings(proportion(12, 100), 10).map((w) => w.code)).toEqual(['near-chance', 'too-few-images']);
    expect(noiseWarnings(proportion(2556, 3000), 10)).toEqual([]);
    expect(noiseWarnings(proportion(540, 599), 10).map((w) => w.code)).toEqual(['too-few-images']);
    expect(noiseWarnings(proportion(540, 600), 10)).toEqual([]);
  });
});
