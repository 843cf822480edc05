import { describe, expect, it } from 'vitest';
import { chooseKTrain, estimateWorkflowSeconds, fitTrainCost, kTrainCandidates } from '../../src/core/k-train-choice';
import { sweepPlan } from '../../src/core/sweep-plan';

const workload = {
  trainImages: 1000,
  valImages: 200,
  epochs: 10,
  finetuneEpochs: 2,
  finetuneCandidates: 1,
  finetuneHeadOnly: false,
  referenceImages: 200,
  sweeps: 2,
  payoff: false,
};

describe('K_train choice', () => {
  it('recovers a + b·K² from two probes and scales a single one through the origin', () => {
    const cost = { a: 0.002, b: 1e-5 };
    const ips = (k: number) => 1 / (cost.a + cost.b * k * k);
    const fit = fitTrainCost([
      { k: 16, imgPerSec: ips(16) },
      { k: 48, imgPerSec: ips(48) },
    ]);
    expect(fit.a).toBeCloseTo(0.002, 10);
    expect(fit.b).toBeCloseTo(1e-5, 12);
    expect(fitTrainCost([{ k: 32, imgPerSec: 100 }])).toEqual({ a: 0, b: 0.01 / 1024 });
    expect(
      fitTrainCost([
        { k: 16, imgPerSec: 50 },
        { k: 32, imgPerSec: 60 },
      ]),
    ).toEqual({ a: (0.02 + 1 / 60) / 2, b: 0 });
  });

  it('lists multiples of 4, 8 and 16 up to the largest size', () => {
    expect(kTrainCandidates(24)).toEqual([8, 12, 16, 20, 24]);
    expect(kTrainCandidates(150).slice(-5)).toEqual([104, 112, 120, 128, 144]);
    expect(kTrainCandidates(5)).toEqual([5]);
  });

  it('estimates training, sweeps, the fine-tune candidates and the payoff run, each growing with K²', () => {
    const cost = { a: 0, b: 1e-6 };
    const t = (k: number) => k * k * 1e-6;
    const grid = (k: number) => sweepPlan({ kTrain: k }).kTests.length;
    // Training 10 epochs at 16; 2 sweeps over the grid of 16 (mean cost at 16·√1.75); the reference pass;
    // one fine-tune at 16·1.25·1.2 = 24 (2 epochs of training steps + validation, then its own size); the picked child's grid sweep.
    const base =
      10 * (1000 * t(16) + (200 * t(16)) / 3) +
      (2 * grid(16) * 200 * t(16) * 1.75) / 3 +
      (200 * t(16)) / 3 +
      2 * (1000 * t(24) + (200 * t(24)) / 3) +
      (200 * t(24)) / 3 +
      (grid(24) * 200 * t(24) * 1.75) / 3;
    expect(grid(16)).toBe(13);
    expect(estimateWorkflowSeconds(16, cost, workload)).toBeCloseTo(base, 9);
    // Head-only fine-tunes cost a forward pass per training image.
    const headOnly = estimateWorkflowSeconds(16, cost, { ...workload, finetuneHeadOnly: true });
    expect(base - headOnly).toBeCloseTo(2 * 1000 * t(24) * (2 / 3), 9);
    // The payoff run at 1.75 · 16 = 28: training, its sweep and a fine-tune of the small run there.
    const payoff = estimateWorkflowSeconds(16, cost, { ...workload, payoff: true });
    const large = 10 * (1000 * t(28) + (200 * t(28)) / 3) + (grid(28) * 200 * t(28) * 1.75) / 3;
    const finetuneAt28 = 2 * (1000 * t(28) + (200 * t(28)) / 3) + (200 * t(28)) / 3;
    expect(payoff - base).toBeCloseTo(large + finetuneAt28, 9);
  });

  it('takes the largest K_train that fits the budget, or the smallest when none does', () => {
    const cost = { a: 0, b: 1e-6 };
    const candidates = kTrainCandidates(64);
    const budget = estimateWorkflowSeconds(32, cost, workload) + 1e-9;
    expect(chooseKTrain({ candidates, cost, workload, budgetSeconds: budget })).toMatchObject({ kTrain: 32, fits: true });
    expect(chooseKTrain({ candidates, cost, workload, budgetSeconds: 1e-6 })).toMatchObject({ kTrain: 8, fits: false });
  });
});
