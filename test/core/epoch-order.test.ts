import { describe, expect, it } from 'vitest';
import { batchCount, epochOrder, sampleStream } from '../../src/core/epoch-order';

describe('epochOrder', () => {
  it('is a permutation that depends only on (seed, epoch)', () => {
    const a = epochOrder(100, 7, 3, true);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(epochOrder(100, 7, 3, true)).toEqual(a);
    expect(epochOrder(100, 7, 4, true)).not.toEqual(a);
    expect(epochOrder(100, 8, 3, true)).not.toEqual(a);
  });

  it('keeps the item order when not shuffling', () => {
    expect([...epochOrder(5, 1, 0, false)]).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('sampleStream', () => {
  it('gives each (epoch, index) its own reproducible stream', () => {
    const draw = (e: number, i: number) => sampleStream(1, e, i).uniform();
    expect(draw(0, 5)).toBe(draw(0, 5));
    expect(draw(0, 5)).not.toBe(draw(0, 6));
    expect(draw(0, 5)).not.toBe(draw(1, 5));
  });
});

describe('batchCount', () => {
  it('keeps or drops the short last batch', () => {
    expect(batchCount(10, 4, false)).toBe(3);
    expect(batchCount(10, 4, true)).toBe(2);
    expect(batchCount(0, 4, false)).toBe(0);
  });
});
