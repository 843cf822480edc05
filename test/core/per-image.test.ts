import { describe, expect, it } from 'vitest';
import { imagesKey, selectionSplit } from '../../src/core/per-image';

describe('per-image results', () => {
  it('keys an ordered image list: another order or another image gives another key', () => {
    const paths = ['a/1.png', 'a/2.png', 'b/1.png'];
    expect(imagesKey(paths)).toBe(imagesKey([...paths]));
    expect(imagesKey(paths)).not.toBe(imagesKey([paths[1]!, paths[0]!, paths[2]!]));
    expect(imagesKey(paths)).not.toBe(imagesKey([...paths, 'b/2.png']));
  });

  it('cuts each class in two halves, the same way whatever the order of the list', () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ relPath: `c${i % 3}/${i}.png`, label: i % 3 }));
    const split = selectionSplit(items);
    for (let c = 0; c < 3; c++) {
      const inClass = items.map((item, i) => (item.label === c ? split[i]! : -1)).filter((s) => s >= 0);
      expect(inClass.filter((s) => s === 1).length).toBe(50);
    }
    const reversed = selectionSplit([...items].reverse());
    expect([...reversed].reverse()).toEqual([...split]);
    // An odd class gives its odd image to the reported (held-out) half.
    expect(selectionSplit(items.slice(0, 3 * 33)).reduce((a, b) => a + b, 0)).toBe(3 * 16);
  });
});
