import { describe, expect, it } from 'vitest';
import {
  chooseKTrain,
  costFromProbes,
  estimateWorkflowSeconds,
  estimateWorkflowSteps,
  fitTrainCost,
  EVAL_COST_RATIO,
  HEAD_FINETUNE_COST_RATIO,
  kTrainCandidates,
  SWEEP_COST_RATIO,
} from '../../src/core/k-train-choice';
import { sweepPlan } from '../../src/core/sweep-plan';
import { WORKFLOW_STEPS } from '../../src/shared/api/workflows';

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
  planSeconds: 4,
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

  it('estimates every step the workflow runs, and the total is their sum', () => {
    const cost = { a: 1e-3, b: 1e-6, decodeSeconds: 2e-3, jobSeconds: 1.5 };
    const steps = estimateWorkflowSteps(16, cost, { ...workload, payoff: true });
    expect(Object.keys(steps).sort()).toEqual([...WORKFLOW_STEPS].sort());
    const total = Object.values(steps).reduce((a, b) => a + b, 0);
    expect(estimateWorkflowSeconds(16, cost, { ...workload, payoff: true })).toBeCloseTo(total, 9);
    for (const step of [
      'train',
      'sweep',
      'adapt',
      'finetune',
      'sweep-finetuned',
      'train-large',
      'sweep-large',
      'finetune-large',
    ] as const)
      expect(steps[step], step).toBeGreaterThan(cost.jobSeconds);
    expect(steps.plan).toBe(workload.planSeconds);
    // Without the payoff experiment and the Fréchet series their steps cost nothing.
    const plain = estimateWorkflowSteps(16, cost, { ...workload, sweeps: 1 });
    expect([plain.adapt, plain['train-large'], plain['sweep-large'], plain['finetune-large']]).toEqual([0, 0, 0, 0]);
  });

  it('prices each step from the measured terms: set-up per job, decoding per sweep, t(K) per image', () => {
    const cost = { a: 1e-3, b: 1e-6, decodeSeconds: 2e-3, jobSeconds: 1.5 };
    const t = (k: number) => 1e-3 + k * k * 1e-6;
    const grid = sweepPlan({ kTrain: 16 }).kTests;
    expect(grid).toHaveLength(13);
    // A sweep: set-up, decoding its 200 validation images once, then each K_test.
    const sweepOver = (sizes: number[]) => 1.5 + 200 * 2e-3 + sizes.reduce((s, k) => s + 200 * SWEEP_COST_RATIO * t(k), 0);
    const steps = estimateWorkflowSteps(16, cost, workload);
    // Training: set-up, decoding every image in the first epoch, then 10 epochs of steps and a validation pass each.
    expect(steps.train).toBeCloseTo(1.5 + 1200 * 2e-3 + 10 * (1000 + 200 * EVAL_COST_RATIO) * t(16), 9);
    expect(steps.sweep).toBeCloseTo(sweepOver(grid), 9);
    // The Fréchet series adds its reference pass over training images at K_train, decoded once.
    expect(steps.adapt).toBeCloseTo(sweepOver(grid) + 200 * (2e-3 + SWEEP_COST_RATIO * t(16)), 9);
    // The fine-tuned model is swept over the first sweep's grid, as the workflow does.
    expect(steps['sweep-finetuned']).toBeCloseTo(sweepOver(grid), 9);
    // One fine-tune at 16·1.25·1.2 = 24 with training steps (not head-only): its images decoded
    // once, then per epoch a step per training image and a run's validation pass per validation
    // image; then its one-size sweep.
    expect(steps.finetune).toBeCloseTo(1.5 + 1200 * 2e-3 + 2 * (1000 + 200 * EVAL_COST_RATIO) * t(24) + sweepOver([24]), 9);
    // Head-only, a validation image costs what a step does (the frozen trunk is nearly all of either).
    const headOnly = estimateWorkflowSteps(16, cost, { ...workload, finetuneHeadOnly: true });
    expect(headOnly.finetune).toBeCloseTo(1.5 + 1200 * 2e-3 + 2 * 1200 * HEAD_FINETUNE_COST_RATIO * t(24) + sweepOver([24]), 9);
    // A slower job set-up costs every engine job once more: the fine-tune is a run and a sweep.
    const slower = estimateWorkflowSteps(16, { ...cost, jobSeconds: 3 }, workload);
    expect(slower.sweep - steps.sweep).toBeCloseTo(1.5, 9);
    expect(slower.finetune - steps.finetune).toBeCloseTo(3, 9);
  });

  it('prices sweeps and head-only fine-tunes from the passes the probes timed, with their set-up once per job', () => {
    const passes = {
      sweep: { a: 2e-4, b: 3e-7, setupSeconds: 0.9, decodeSeconds: 1e-3, pointSeconds: 0.2 },
      finetune: { a: 3e-4, b: 2e-7, setupSeconds: 0.7 },
    };
    const cost = { a: 1e-3, b: 1e-6, decodeSeconds: 2e-3, jobSeconds: 1.5, passes };
    const test = (k: number) => 2e-4 + 3e-7 * k * k;
    const grid = sweepPlan({ kTrain: 16 }).kTests;
    // A sweep: job and forward set-up, its 200 validation images decoded once, then a pass and a fit per K_test.
    const sweepOver = (sizes: number[]) => 1.5 + 0.9 + 200 * 1e-3 + sizes.reduce((s, k) => s + 200 * test(k) + 0.2, 0);
    const steps = estimateWorkflowSteps(16, cost, { ...workload, finetuneHeadOnly: true });
    expect(steps.sweep).toBeCloseTo(sweepOver(grid), 9);
    // The reference decodes training images (the training decode) and passes them at K_train, with one fit.
    expect(steps.adapt).toBeCloseTo(sweepOver(grid) + 200 * (2e-3 + test(16)) + 0.2, 9);
    const step = (k: number) => 3e-4 + 2e-7 * k * k;
    const decodeBoth = 1000 * 2e-3 + 200 * 1e-3;
    expect(steps.finetune).toBeCloseTo(1.5 + 0.7 + decodeBoth + 2 * 1200 * step(24) + sweepOver([24]), 9);
    // A fine-tune that trains past the head takes training steps and opens no frozen trunk.
    const full = estimateWorkflowSteps(16, cost, workload);
    const t = (k: number) => 1e-3 + k * k * 1e-6;
    expect(full.finetune).toBeCloseTo(1.5 + decodeBoth + 2 * (1000 + 200 * EVAL_COST_RATIO) * t(24) + sweepOver([24]), 9);
    // Training takes the validation images' decoding from the sweep's pass, its steps from t(K).
    expect(steps.train).toBeCloseTo(1.5 + decodeBoth + 10 * (1000 + 200 * EVAL_COST_RATIO) * t(16), 9);
  });

  it('takes its calibrated terms from the probes: t(K) from the fastest steps in memory per K, decoding from the smallest K, set-up from the last probe', () => {
    const t = (k: number) => 0.002 + 1e-6 * k * k;
    const probes = [
      { k: 16, imgPerSec: 1 / t(16), pipelineImgPerSec: 1 / (t(16) + 0.003), setupSeconds: 2.5 },
      { k: 32, imgPerSec: 1 / t(32), pipelineImgPerSec: 1 / (t(32) + 0.001), setupSeconds: 0.8 },
    ];
    const cost = costFromProbes(probes);
    expect(cost.a).toBeCloseTo(0.002, 10);
    expect(cost.b).toBeCloseTo(1e-6, 12);
    expect(cost.decodeSeconds).toBeCloseTo(0.003, 10);
    expect(cost.jobSeconds).toBe(0.8);
    // A size probed twice counts its faster probe (the slower paid a cold engine or a load spike).
    const cold = { ...probes[0]!, imgPerSec: 1 / (4 * t(16)), pipelineImgPerSec: 1 / (4 * t(16) + 0.001), setupSeconds: 9 };
    const twice = costFromProbes([cold, probes[1]!, probes[0]!, probes[1]!]);
    expect(twice.a).toBeCloseTo(0.002, 10);
    expect(twice.b).toBeCloseTo(1e-6, 12);
    expect(twice.decodeSeconds).toBeCloseTo(0.003, 10);
    expect(twice.jobSeconds).toBe(0.8);
    expect(twice.passes).toBeUndefined();
    // Probes that also timed the other passes give their costs the same way: fastest per K, set-up from the last.
    const fwd = (k: number) => 3e-4 + 2e-7 * k * k;
    const also = (k: number, slower: number, setupSeconds: number) => ({
      sweep: { imgPerSec: 1 / (slower * fwd(k)), setupSeconds, decodeSeconds: slower * 1e-3, pointSeconds: slower * 0.1 },
      finetune: { imgPerSec: 1 / (slower * 2 * fwd(k)), setupSeconds: setupSeconds / 2 },
    });
    const timed = costFromProbes([
      probes[0]!,
      probes[1]!,
      { ...probes[0]!, also: also(16, 1, 1.2) },
      { ...probes[1]!, also: also(32, 1, 0.6) },
      { ...probes[1]!, also: also(32, 3, 5) },
    ]);
    expect(timed.passes!.sweep.a).toBeCloseTo(3e-4, 10);
    expect(timed.passes!.sweep.b).toBeCloseTo(2e-7, 12);
    expect(timed.passes!.finetune.a).toBeCloseTo(6e-4, 10);
    expect(timed.passes!.sweep.setupSeconds).toBe(5);
    // Decoding and the per-K_test fit: the (lower) median of the probes', which a load spike does not move.
    expect(timed.passes!.sweep.decodeSeconds).toBe(1e-3);
    expect(timed.passes!.sweep.pointSeconds).toBe(0.1);
    expect(timed.passes!.finetune.setupSeconds).toBe(2.5);
    // A pipeline that kept up with the steps costs no decoding; no probe, no cost.
    expect(costFromProbes([{ k: 16, imgPerSec: 100, pipelineImgPerSec: 120, setupSeconds: 1 }]).decodeSeconds).toBe(0);
    expect(() => costFromProbes([])).toThrow(/at least one speed probe/);
  });

  it('takes the largest K_train that fits the budget, or the smallest when none does', () => {
    const cost = { a: 0, b: 1e-6, decodeSeconds: 0, jobSeconds: 0 };
    const candidates = kTrainCandidates(64);
    const budget = estimateWorkflowSeconds(32, cost, workload) + 1e-9;
    expect(chooseKTrain({ candidates, cost, workload, budgetSeconds: budget })).toMatchObject({ kTrain: 32, fits: true });
    expect(chooseKTrain({ candidates, cost, workload, budgetSeconds: 1e-6 })).toMatchObject({ kTrain: 8, fits: false });
  });
});
