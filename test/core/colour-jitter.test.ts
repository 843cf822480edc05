import { describe, expect, it } from 'vitest';
import { sampleColourJitter } from '../../src/core/colour-jitter';
import { Rng } from '../../src/core/rng';

describe('sampleColourJitter', () => {
  it('is off at strength 0', () => {
    expect(sampleColourJitter(0, Rng.fromSeed(1))).toBeNull();
  });

  it('draws factors in [1 − s, 1 + s] and every op order', () => {
    const rng = Rng.fromSeed(2);
    const orders = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const p = sampleColourJitter(0.4, rng)!;
      for (const f of [p.brightness, p.contrast, p.saturation]) {
        expect(f).toBeGreaterThanOrEqual(0.6);
        expect(f).toBeLessThan(1.4);
      }
      expect([...p.order].sort()).toEqual(['brightness', 'contrast', 'saturation']);
      orders.add(p.order.join());
    }
    expect(orders.size).toBe(6);
  });

  it('never goes below zero for strengths above 1', () => {
    const rng = Rng.fromSeed(3);
    for (let i = 0; i < 200; i++) expect(sampleColourJitter(1.5, rng)!.brightness).toBeGreaterThanOrEqual(0);
  });
});
