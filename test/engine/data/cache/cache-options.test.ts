import { describe, expect, it } from 'vitest';
import { resizeShorterSide, sampleTrainCrop } from '../../../../src/core/crops';
import { Rng } from '../../../../src/core/rng';
import { copyFolderName, copyShortSide, resolveCacheOptions } from '../../../../src/engine/data/cache/cache-options';
import { IMAGENET_NORMALIZE, type DataSpec, type TransformSpec } from '../../../../src/shared/jobs/data-spec';
import { testSpec, trainSpec } from '../../../helpers/transforms';

const spec = (transform: TransformSpec, cache: DataSpec['cache']): DataSpec => ({
  root: '/data',
  classNames: ['a'],
  items: [],
  transform,
  normalize: IMAGENET_NORMALIZE,
  seed: 0,
  ...(cache ? { cache } : {}),
});

describe('resolveCacheOptions', () => {
  it('is off without a cache or with shortSide 0, and splits the memory budget between workers', () => {
    expect(resolveCacheOptions(spec(testSpec(32), undefined), 2)).toBeNull();
    expect(resolveCacheOptions(spec(testSpec(32), { shortSide: 0 }), 2)).toBeNull();
    expect(resolveCacheOptions(spec(testSpec(32), { memoryMb: 100 }), 4)!.budgetBytes).toBe(25 * 1024 * 1024);
  });

  it('keeps test copies at the Resize side, train copies by the detail rule, and an explicit side as given', () => {
    expect(resolveCacheOptions(spec(testSpec(224), {}), 1)!.copy).toEqual({ kind: 'fixed', shortSide: 256 });
    expect(resolveCacheOptions(spec(trainSpec(128, 0), { shortSide: 300 }), 1)!.copy).toEqual({ kind: 'fixed', shortSide: 300 });
    const detail = resolveCacheOptions(spec(trainSpec(128, 0), {}), 1)!.copy;
    expect(detail).toMatchObject({ kind: 'detail', k: 128 });
    expect(copyFolderName(detail)).toBe('detail-k128-s0.08-r0.7500_1.3333');
  });
});

describe('copyShortSide with the detail rule', () => {
  const settings = { scale: [0.08, 1] as [number, number], ratio: [3 / 4, 4 / 3] as [number, number] };

  it('keeps an image whole when its smallest crops are already under K pixels (identical pixels)', () => {
    expect(copyShortSide({ kind: 'detail', k: 128, ...settings }, 500, 375)).toBe(375);
    expect(copyShortSide({ kind: 'detail', k: 16, ...settings }, 40, 30)).toBe(30);
  });

  it('shrinks a large photo only so far that every sampled crop still spans at least K copy pixels', () => {
    const rng = Rng.fromSeed(5);
    for (const [W, H, k] of [
      [4032, 3024, 128],
      [3024, 4032, 224],
      [1600, 1200, 64],
    ] as const) {
      const side = copyShortSide({ kind: 'detail', k, ...settings }, W, H);
      expect(side).toBeLessThan(Math.min(W, H) / 2);
      const [cw, ch] = resizeShorterSide(W, H, side);
      let tightest = Infinity;
      for (let i = 0; i < 5000; i++) {
        const crop = sampleTrainCrop(W, H, settings, rng);
        tightest = Math.min(tightest, (crop.w * cw) / W / k, (crop.h * ch) / H / k);
      }
      expect(tightest).toBeGreaterThanOrEqual(1);
      expect(tightest).toBeLessThan(1.3);
    }
  });
});
