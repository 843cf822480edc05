import { describe, expect, it } from 'vitest';
import { ProgressThrottle } from '../../../src/lab/jobs/progress-throttle';

describe('ProgressThrottle', () => {
  it('lets one message per job through each interval, a forced one always, and starts afresh for a forgotten job', () => {
    let now = 1000;
    const throttle = new ProgressThrottle<number>(250, () => now);
    expect(throttle.due(1)).toBe(true);
    now += 249;
    expect(throttle.due(1)).toBe(false);
    expect(throttle.due(7)).toBe(true);
    expect(throttle.due(1, true)).toBe(true);
    now += 249;
    expect(throttle.due(1)).toBe(false);
    now += 1;
    expect(throttle.due(1)).toBe(true);
    throttle.forget(1);
    expect(throttle.due(1)).toBe(true);
  });
});
