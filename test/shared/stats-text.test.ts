import { describe, expect, it } from 'vitest';
import { gainInterval } from '../../src/shared/gain-interval';
import { accuracyText, gainText, pValueText, pointsText, protocolText } from '../../src/shared/stats-text';

describe('statistics in words', () => {
  it('writes a top-1 with its interval and a gain with its interval and p-value, saying "within noise" at p ≥ 0.05', () => {
    expect(accuracyText({ top1: 0.8261, n: 500, ci95: [0.7903, 0.8571] })).toBe('82.6 % [79.0, 85.7]');
    // 2 images only the first got right, 12 only the second: McNemar p = 2·(1 + 14 + 91)/2¹⁴.
    const gain = {
      gain: 0.02,
      n: 500,
      onlyFirst: 2,
      onlySecond: 12,
      pValue: 212 / 16384,
      ci95: gainInterval({ onlyFirst: 2, onlySecond: 12, n: 500 }),
      withinNoise: false,
      images: 'held-out' as const,
    };
    expect(gainText(gain)).toBe('+2.0 points [+0.4, +2.7] (p = 0.013)');
    expect(gainText({
        ...gain,
        gain: -0.004,
        onlyFirst: 8,
        onlySecond: 6,
        pValue: 0.79,
        ci95: gainInterval({ onlyFirst: 8, onlySecond: 6, n: 500 }),
        withinNoise: true,
      })).toBe(
      '−0.4 points [−1.8, +1.2] (p = 0.79, within noise)',
    );
    expect(pValueText(0.0004)).toBe('p < 0.001');
    expect(pValueText(1)).toBe('p = 1');
    expect(pointsText(null)).toBe('–');
  });

  it('says which images a number comes from, and warns when the pick and the report share them', () => {
    expect(protocolText({ pickedOn: 'selection', reportedOn: 'held-out', picked: 500, reported: 500 })).toMatch(
      /picked on 500 images \(the selection half.*reported on 500 others \(the held-out half/,
    );
    expect(protocolText({ pickedOn: 'all', reportedOn: 'all', picked: 1000, reported: 1000 })).toMatch(/overstated/);
  });
});
