import { describe, expect, it } from 'vitest';
import { PLAN_REUSE_SECONDS, RecentPlans } from '../../../src/lab/workflows/recent-plans';
import type { ParsedSuggestRequest } from '../../../src/lab/workflows/workflow-suggest';
import type { KTrainSuggestion } from '../../../src/shared/api/workflows';

const request: ParsedSuggestRequest = {
  datasetId: 1,
  budgetMinutes: 10,
  arch: 'resnet-mini',
  width: 0.5,
  batchSize: 32,
  cropPct: 0.875,
  finetuneCandidates: 3,
  payoff: false,
  adapt: true,
  finetuneMode: 'last-bn+classifier',
};
const plan = { kTrain: 24 } as KTrainSuggestion;

describe('recent plans', () => {
  it('gives the plan back for the same request, its fields in any order and unset ones left out, once', () => {
    const plans = new RecentPlans(() => 0);
    plans.remember(request, plan);
    const reordered = Object.fromEntries(Object.entries({ ...request, epochs: undefined }).reverse()) as ParsedSuggestRequest;
    expect(plans.take(reordered)).toBe(plan);
    expect(plans.take(request)).toBeUndefined();
  });

  it('gives nothing for another request: another budget, fine-tune mode or Fréchet series plans anew', () => {
    const plans = new RecentPlans(() => 0);
    for (const other of [{ budgetMinutes: 11 }, { finetuneMode: 'full' as const }, { adapt: false }, { epochs: 20 }]) {
      plans.remember(request, plan);
      expect(plans.take({ ...request, ...other }), JSON.stringify(other)).toBeUndefined();
    }
  });

  it(`gives nothing once ${PLAN_REUSE_SECONDS / 60} minutes have passed`, () => {
    let now = 0;
    const plans = new RecentPlans(() => now);
    plans.remember(request, plan);
    now = PLAN_REUSE_SECONDS - 1;
    expect(plans.take(request)).toBe(plan);
    plans.remember(request, plan);
    now += PLAN_REUSE_SECONDS;
    expect(plans.take(request)).toBeUndefined();
  });
});
