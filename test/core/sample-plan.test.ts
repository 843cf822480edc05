import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { planSample, shiftHorizontally } from '../../src/core/sample-plan';
import type { TransformSpec } from '../../src/shared/jobs/data-spec';
import { testSpec, trainSpec } from '../helpers/transforms';

const train = trainSpec(32);
const test = testSpec(224);
const da2: TransformSpec = { kind: 'da2', k: 224, cropPct: 0.875, maxShift: 1, jitter: 0.1, interpolation: 'bilinear' };

describe('planSample', () => {
  it('plans a train sample as a RandomResizedCrop box resized to K×K, flipped about half the time', () => {
    const rng = Rng.fromSeed(1);
    let flips = 0;
    for (let i = 0; i < 400; i++) {
      const p = planSample(120, 90, train, rng);
      expect(p.region.x + p.region.w).toBeLessThanOrEqual(120);
      expect([p.outWidth, p.outHeight]).toEqual([32, 32]);
      expect(p.window).toEqual({ x: 0, y: 0, w: 32, h: 32 });
      expect(p.jitter).not.toBeNull();
      if (p.flip) flips++;
    }
    expect(flips).toBeGreaterThan(150);
    expect(flips).toBeLessThan(250);
  });

  it('plans the test transform as Resize(256) + CenterCrop(224), with no randomness', () => {
    const p = planSample(500, 375, test, Rng.fromSeed(1));
    expect(p).toEqual({
      region: { x: 0, y: 0, w: 500, h: 375 },
      outWidth: 341,
      outHeight: 256,
      window: { x: 58, y: 16, w: 224, h: 224 },
      flip: false,
      jitter: null,
    });
  });

  it('plans DA2 at the test scale with the crop shifted sideways within the image', () => {
    const rng = Rng.fromSeed(4);
    const xs = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const p = planSample(500, 375, da2, rng);
      expect([p.outWidth, p.outHeight, p.window.y, p.window.w]).toEqual([341, 256, 16, 224]);
      expect(p.window.x).toBeGreaterThanOrEqual(0);
      expect(p.window.x).toBeLessThanOrEqual(341 - 224);
      xs.add(p.window.x);
    }
    expect(Math.min(...xs)).toBeLessThan(10);
    expect(Math.max(...xs)).toBeGreaterThan(107);
  });

  it('keeps a DA2 crop centred when the shift is 0', () => {
    expect(shiftHorizontally({ x: 58, y: 16, w: 224, h: 224 }, 341, 0, Rng.fromSeed(1)).x).toBe(58);
  });
});
