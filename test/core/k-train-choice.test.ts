import { describe, expect, it } from 'vitest';
import { chooseKTrain, estimateWorkflowSeconds, fitTrainCost, kTrainCandidates } from '../../src/core/k-train-choice';

const workload = { trainImages: 1000, valImages: 200, epochs: 10, finetuneEpochs: 2, referenceImages: 200, sweeps: 3 };

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

  it('estimates training, sweeps and fine-tuning, each growing with K²', () => {
    const cost = { a: 0, b: 1e-6 };
    const at16 = estimateWorkflowSeconds(16, cost, workload);
    // training 10·(1000 + 200/3)·256e-6, sweeps over 13 sizes (8…32 step 2) 3·13·200/3·1.75·256e-6 + 200/3·256e-6, fine-tune 2·(1000 + 200/3)·400e-6
    const expected =
      10 * (1000 + 200 / 3) * 256e-6 + 3 * 13 * (200 / 3) * 1.75 * 256e-6 + (200 / 3) * 256e-6 + 2 * (1000 + 200 / 3) * 400e-6;
    expect(at16).toBeCloseTo(expected, 9);
  });

  it('takes the largest K_train that fits the budget, or the smallest when none does', () => {
    const cost = { a: 0, b: 1e-6 };
    const candidates = kTrainCandidates(64);
    const budget = estimateWorkflowSeconds(32, cost, workload) + 1e-9;
    expect(chooseKTrain({ candidates, cost, workload, budgetSeconds: budget })).toMatchObject({ kTrain: 32, fits: true });
    expect(chooseKTrain({ candidates, cost, workload, budgetSeconds: 1e-6 })).toMatchObject({ kTrain: 8, fits: false });
  });
});
