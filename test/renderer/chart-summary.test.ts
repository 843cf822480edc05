import { describe, expect, it } from 'vitest';
import { describeBars, describeItems } from '../../src/renderer/src/components/charts/summary';

describe('chart descriptions for screen readers', () => {
  it('names the non-empty bars with their values, the first twelve, and counts the rest', () => {
    expect(describeBars('Images per class', ['cat', 'dog', 'fox'], [4, 0, 2])).toBe('Images per class: cat 4, fox 2.');
    expect(describeBars('Images', ['a'], [0])).toBe('Images: no data.');
    const many = Array.from({ length: 15 }, (_, i) => `c${i}`);
    expect(describeItems('Classes', many)).toMatch(/c11, and 3 more\.$/);
  });
});
