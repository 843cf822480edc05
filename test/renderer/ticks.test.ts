import { describe, expect, it } from 'vitest';
import { percentDigits, percentTick, tickStep } from '../../src/renderer/src/components/charts/ticks';

describe('percent tick labels', () => {
  it('keep neighbouring ticks apart on a narrow range (no "14 %, 14 %, 14 %"; 15.5 % is not "16 %")', () => {
    const ticks = [0.14, 0.1425, 0.145, 0.1475, 0.15, 0.1525, 0.155].map((value) => ({ value }));
    const labels = ticks.map((t) => percentTick(t.value, tickStep(ticks)));
    expect(labels).toEqual(['14.00 %', '14.25 %', '14.50 %', '14.75 %', '15.00 %', '15.25 %', '15.50 %']);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('stay whole numbers when the step is a whole number of points', () => {
    expect(percentDigits(0.1)).toBe(0);
    expect(percentDigits(0.02)).toBe(0);
    expect(percentTick(0.3, 0.1)).toBe('30 %');
    expect(percentDigits(0.005)).toBe(1);
    expect(percentDigits(0.0002)).toBe(2);
  });

  it('take the step from chart.js ticks, and do without one', () => {
    expect(tickStep([{ value: 0.2 }, { value: 0.25 }])).toBeCloseTo(0.05, 12);
    expect(tickStep([{ value: 0.2 }])).toBe(0);
    expect(percentTick(0.155, 0)).toBe('16 %');
  });
});
