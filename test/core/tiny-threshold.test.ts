import { describe, expect, it } from 'vitest';
import { medianShortSide, tinyThreshold } from '../../src/core/dataset-stats';

describe('medianShortSide', () => {
  it('is the median of the shorter sides, weighted by how many images have each size', () => {
    expect(medianShortSide([])).toBeNull();
    expect(medianShortSide([{ width: 28, height: 28, count: 5000 }])).toBe(28);
    expect(
      medianShortSide([
        { width: 500, height: 375, count: 3 },
        { width: 20, height: 90, count: 1 },
        { width: 640, height: 480, count: 2 },
      ]),
    ).toBe(375);
  });
});

describe('tinyThreshold', () => {
  it('judges against the K asked for, whatever the images are', () => {
    expect(tinyThreshold({ requestedK: 64, defaultK: 32, medianShortSide: 28 })).toEqual({ side: 64, basis: 'requested' });
  });

  it('uses the default K_train for photos, so thumbnails among them stand out', () => {
    expect(tinyThreshold({ defaultK: 32, medianShortSide: 375 })).toEqual({ side: 32, basis: 'default-k' });
  });

  it('never flags a whole set of small images: below the default K the median short side is the bar', () => {
    expect(tinyThreshold({ defaultK: 32, medianShortSide: 28 })).toEqual({ side: 28, basis: 'median' });
    expect(tinyThreshold({ defaultK: 32, medianShortSide: null })).toEqual({ side: 32, basis: 'default-k' });
  });
});
