import { describe, expect, it } from 'vitest';
import { hashString, stratifiedSplit } from '../../src/core/stratified-split';

const items = (perClass: Record<string, number>) =>
  Object.entries(perClass).flatMap(([group, n]) => Array.from({ length: n }, (_, i) => ({ key: `${group}/${i}.png`, group })));

describe('stratifiedSplit', () => {
  it('puts round(n · fraction) of every class in val', () => {
    const list = items({ a: 100, b: 10, c: 3 });
    const split = stratifiedSplit(list, 0.2, 1);
    const val = (g: string) => list.filter((x, i) => x.group === g && split[i] === 'val').length;
    expect([val('a'), val('b'), val('c')]).toEqual([20, 2, 1]);
  });

  it('keeps at least one image of a class in train', () => {
    expect(stratifiedSplit(items({ a: 1 }), 0.9, 1)).toEqual(['train']);
    expect(stratifiedSplit(items({ a: 2 }), 0.9, 1).filter((s) => s === 'train')).toHaveLength(1);
  });

  it('is reproducible for a seed, different for another, and stable when an image is added', () => {
    const list = items({ a: 50 });
    const a = stratifiedSplit(list, 0.2, 7);
    expect(stratifiedSplit(list, 0.2, 7)).toEqual(a);
    expect(stratifiedSplit(list, 0.2, 8)).not.toEqual(a);
    const grown = stratifiedSplit([...list, { key: 'a/new.png', group: 'a' }], 0.2, 7).slice(0, 50);
    expect(grown.filter((s, i) => s !== a[i]).length).toBeLessThanOrEqual(2);
  });

  it('hashes strings stably', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
});
