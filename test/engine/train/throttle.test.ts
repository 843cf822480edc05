import { describe, expect, it } from 'vitest';
import { Throttle } from '../../../src/engine/train/throttle';

describe('Throttle', () => {
  it('lets the first event through, then at most one per interval', () => {
    let t = 0;
    const throttle = new Throttle(250, () => t);
    const passed: number[] = [];
    for (t = 0; t < 1000; t += 50) if (throttle.ready()) passed.push(t);
    expect(passed).toEqual([0, 250, 500, 750]);
  });
});
