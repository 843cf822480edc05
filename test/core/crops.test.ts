import { describe, expect, it } from 'vitest';
import {
  centreFallback,
  DEFAULT_RATIO,
  DEFAULT_SCALE,
  resizeShorterSide,
  roundHalfEven,
  sampleTrainCrop,
  smallestTrainCropSide,
  testTransform,
} from '../../src/core/crops';
import { Rng } from '../../src/core/rng';

const defaults = { scale: DEFAULT_SCALE, ratio: DEFAULT_RATIO };

describe('roundHalfEven (Python round)', () => {
  it('sends halves to the even neighbour', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, -0, -2, 2, 3]);
  });
});

describe('sampleTrainCrop (torchvision RandomResizedCrop.get_params)', () => {
  it('always returns a box inside the image', () => {
    const rng = Rng.fromSeed(0);
    for (const [W, H] of [
      [500, 375],
      [32, 32],
      [1000, 100],
      [7, 300],
    ] as const) {
      for (let i = 0; i < 2000; i++) {
        const b = sampleTrainCrop(W, H, defaults, rng);
        expect(b.x >= 0 && b.y >= 0 && b.w > 0 && b.h > 0 && b.x + b.w <= W && b.y + b.h <= H).toBe(true);
      }
    }
  });

  it('keeps accepted crops within the scale and ratio ranges (up to rounding)', () => {
    const rng = Rng.fromSeed(1);
    for (let i = 0; i < 5000; i++) {
      const b = sampleTrainCrop(400, 400, defaults, rng);
      if (b.fallback) continue;
      const area = (b.w * b.h) / (400 * 400);
      expect(area).toBeGreaterThan(0.08 * 0.9);
      expect(area).toBeLessThan(1.0001);
      expect(b.w / b.h).toBeGreaterThan((3 / 4) * 0.9);
      expect(b.w / b.h).toBeLessThan((4 / 3) * 1.1);
    }
  });

  it('falls back to torchvision’s clamped centre crop when nothing fits', () => {
    // A 1000×10 strip: no crop with ratio ≤ 4/3 and area ≥ 8 % fits its height.
    const b = sampleTrainCrop(1000, 10, defaults, Rng.fromSeed(2));
    expect(b).toEqual({ x: 493, y: 0, w: 13, h: 10, fallback: true });
    expect(centreFallback(10, 1000, DEFAULT_RATIO)).toEqual({ x: 0, y: 493, w: 10, h: 13 });
    expect(centreFallback(100, 90, DEFAULT_RATIO)).toEqual({ x: 0, y: 0, w: 100, h: 90 });
  });

  it('never samples a crop narrower than smallestTrainCropSide, which some crops come close to', () => {
    const rng = Rng.fromSeed(3);
    const settings = [defaults, { scale: [0.25, 0.5] as const, ratio: [0.5, 3] as const }];
    for (const [W, H] of [
      [500, 375],
      [4032, 3024],
      [1000, 10],
      [64, 640],
    ] as const) {
      for (const s of settings) {
        const bound = smallestTrainCropSide(W, H, s);
        let closest = Infinity;
        for (let i = 0; i < 4000; i++) {
          const b = sampleTrainCrop(W, H, s, rng);
          expect(Math.min(b.w, b.h)).toBeGreaterThanOrEqual(bound);
          closest = Math.min(closest, Math.min(b.w, b.h) / bound);
        }
        expect(closest).toBeLessThan(1.25);
      }
    }
  });

  it('is reproducible for a seed', () => {
    const draw = (seed: number) => {
      const rng = Rng.fromSeed(seed);
      return Array.from({ length: 20 }, () => sampleTrainCrop(640, 480, defaults, rng));
    };
    expect(draw(11)).toEqual(draw(11));
    expect(draw(11)).not.toEqual(draw(12));
  });
});

describe('testTransform (Resize(floor(K/crop_pct)) + CenterCrop(K))', () => {
  it('reproduces the classic 256 → 224 geometry on a 500×375 image', () => {
    const t = testTransform(500, 375, 224, 0.875);
    expect([t.resizedWidth, t.resizedHeight]).toEqual([341, 256]);
    expect(t.cropInResized).toEqual({ x: 58, y: 16, w: 224, h: 224 });
    expect(t.scale).toBeCloseTo(256 / 375, 12);
    expect(t.cropInImage.w).toBeCloseTo((224 * 500) / 341, 9);
  });

  it('resizes the shorter side and truncates the longer one like torchvision', () => {
    expect(resizeShorterSide(375, 500, 256)).toEqual([256, 341]);
    expect(resizeShorterSide(100, 100, 36)).toEqual([36, 36]);
    expect(testTransform(32, 32, 32, 0.875).cropInResized).toEqual({ x: 2, y: 2, w: 32, h: 32 });
  });
});
