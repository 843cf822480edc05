import { describe, expect, it } from 'vitest';
import { budgetRefusal, minutesNeeded } from '../../src/core/budget-refusal';

const overBudget = {
  fits: false,
  epochs: 10,
  estimates: [
    { k: 16, seconds: 301 },
    { k: 20, seconds: 420 },
  ],
};

describe('refusing a budget too small to learn anything', () => {
  it('says how many whole minutes the smallest plan needs, at which K_train and epochs, and what to do', () => {
    expect(minutesNeeded(overBudget)).toBe(6);
    const refusal = budgetRefusal(overBudget);
    expect(refusal).toMatch(/needs at least 6 minutes at K_train 16 \(10 epochs\)/);
    expect(refusal).toMatch(/Raise the budget, or give the epochs or K_train yourself \(--epochs \/ --k-train\)/);
  });

  it('lets a plan that fits start, and one whose K_train or epochs the user chose', () => {
    expect(budgetRefusal({ ...overBudget, fits: true })).toBeNull();
    expect(budgetRefusal(overBudget, { epochs: 2 })).toBeNull();
    expect(budgetRefusal(overBudget, { kTrain: 8 })).toBeNull();
    expect(budgetRefusal(overBudget, { kTrain: null, epochs: null })).not.toBeNull();
  });

  it('asks for at least one minute', () => {
    expect(minutesNeeded({ fits: false, epochs: 10, estimates: [{ k: 8, seconds: 3 }] })).toBe(1);
  });
});
