import { describe, expect, it } from 'vitest';
import { finetuneEpochs, finetuneMilestones, officialFinetuneLr } from '../../src/core/finetune-recipe';

describe('the official fine-tune recipe, scaled to a dataset', () => {
  it('gives 8e-3 for the README’s 8 GPUs × 64 images and scales linearly with the batch', () => {
    expect(officialFinetuneLr(8 * 64)).toBeCloseTo(8e-3, 15);
    expect(officialFinetuneLr(32)).toBeCloseTo(5e-4, 15);
    expect(officialFinetuneLr(32, 1e-4)).toBeCloseTo(5e-5, 15);
    expect(() => officialFinetuneLr(0)).toThrow(/batch/);
  });

  it('counts steps: about 600 steps, 2 to 30 epochs', () => {
    expect(finetuneEpochs(4000, 32)).toBe(5); // 125 steps per epoch
    expect(finetuneEpochs(12_000, 32)).toBe(2); // 375 steps per epoch, the 2-epoch floor
    expect(finetuneEpochs(100, 32)).toBe(30); // 3 steps per epoch, the cap
    expect(finetuneEpochs(10, 32)).toBe(30);
  });

  it('decays ×0.1 after 30/56 of the epochs, never at the first or after the last', () => {
    expect(finetuneMilestones(56)).toEqual([30]);
    expect(finetuneMilestones(5)).toEqual([3]);
    expect(finetuneMilestones(2)).toEqual([1]);
    expect(finetuneMilestones(1)).toEqual([]);
  });
});
