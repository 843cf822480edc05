import { describe, expect, it } from 'vitest';
import { trainEpochs, warmupEpochs } from '../../src/core/train-plan';

describe('the workflow’s training length', () => {
  it('aims for about 2 500 steps, 10 to 60 epochs', () => {
    expect(trainEpochs(4000, 32)).toBe(20); // the sample set: 125 steps per epoch
    expect(trainEpochs(800, 32)).toBe(60); // 25 steps per epoch: the cap
    expect(trainEpochs(12_000, 32)).toBe(10); // 375 steps per epoch: the floor
    expect(trainEpochs(10, 32)).toBe(60);
  });

  it('warms up over a tenth of the epochs', () => {
    expect(warmupEpochs(20)).toBe(2);
    expect(warmupEpochs(10)).toBe(1);
    expect(warmupEpochs(60)).toBe(6);
  });
});
