import { describe, expect, it } from 'vitest';
import { configDiff } from '../../src/renderer/src/lib/config-diff';
import { configValue, duration, percent, rate } from '../../src/renderer/src/lib/format';

describe('formatting', () => {
  it('writes durations, rates and percentages the way the views show them', () => {
    expect(duration(4.25)).toBe('4.3 s');
    expect(duration(185)).toBe('3 min 05 s');
    expect(duration(7620)).toBe('2 h 07 min');
    expect(duration(null)).toBe('—');
    expect(rate(1234.4)).toBe('1,234 img/s');
    expect(rate(21.34)).toBe('21.3 img/s');
    expect(percent(0.8123)).toBe('81.2 %');
    expect(percent(Number.NaN)).toBe('—');
    expect(configValue([0.08, 1])).toBe('0.08 – 1');
    expect(configValue(1 / 3)).toBe('0.3333');
  });

  it('writes an object config value (normalizeValues) as its fields, never "[object Object]"', () => {
    const normalizeValues = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
    expect(configValue(normalizeValues)).toBe('mean 0.485, 0.456, 0.406; std 0.229, 0.224, 0.225');
    expect(configValue({ a: { b: true } })).toBe('a b yes');
  });
});

describe('configDiff', () => {
  it('lists every key once, in first-seen order, and flags the keys whose values differ', () => {
    const rows = configDiff([
      { lr: 0.1, kTrain: 32, scale: [0.08, 1] },
      { lr: 0.2, kTrain: 32, scale: [0.08, 1], kTest: 40 },
    ]);
    expect(rows.map((r) => [r.key, r.differs])).toEqual([
      ['lr', true],
      ['kTrain', false],
      ['scale', false],
      ['kTest', true],
    ]);
    expect(rows[3]!.values).toEqual(['—', '40']);
  });
});
