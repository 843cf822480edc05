import { sweepPlan } from './sweep-plan';

/** Training seconds per image at resolution K: a + b·K² (fixed per-image cost + convolutions ∝ pixels). */
export interface TrainCost {
  a: number;
  b: number;
}

/** Measured training speed at one K (a probe or a finished run). */
export interface SpeedSample {
  k: number;
  imgPerSec: number;
}

/**
 * Least-squares fit of t(K) = 1/img_per_sec = a + b·K² to the samples. With one distinct K the
 * fixed cost cannot be told apart, so a = 0 (every second scales with K²: pessimistic for larger
 * K, optimistic for smaller). Negative coefficients are clamped to 0 and the other refitted.
 */
export function fitTrainCost(samples: readonly SpeedSample[]): TrainCost {
  const points = samples.filter((s) => s.imgPerSec > 0 && s.k > 0).map((s) => ({ x: s.k * s.k, t: 1 / s.imgPerSec }));
  if (!points.length) throw new RangeError('A training cost needs at least one speed measurement');
  const throughOrigin = () => ({
    a: 0,
    b: points.reduce((s, p) => s + p.x * p.t, 0) / points.reduce((s, p) => s + p.x * p.x, 0),
  });
  if (new Set(points.map((p) => p.x)).size < 2) return throughOrigin();
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const b = points.reduce((s, p) => s + (p.x - mx) * (p.t - mt), 0) / points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const a = mt - b * mx;
  if (b <= 0) return { a: mt, b: 0 };
  if (a < 0) return throughOrigin();
  return { a, b };
}

export const secondsPerImage = (cost: TrainCost, k: number): number => cost.a + cost.b * k * k;

/** Train sizes worth trying up to maxK: multiples of 4 to 64, of 8 to 128, of 16 beyond. */
export function kTrainCandidates(maxK: number): number[] {
  const out: number[] = [];
  for (let k = 8; k <= maxK; k += k < 64 ? 4 : k < 128 ? 8 : 16) out.push(k);
  return out.length ? out : [Math.max(1, Math.floor(maxK))];
}

/** What the workflow will process, for its time estimate. */
export interface Workload {
  trainImages: number;
  valImages: number;
  epochs: number;
  /** Epochs of each fine-tune. */
  finetuneEpochs: number;
  /** Fine-tunes at K_test candidates (1.0 … 1.4 × the untuned best, ≈ 1.2 · 1.25 · K_train on average). */
  finetuneCandidates: number;
  /** Head-only fine-tunes (classifier, last-bn+classifier) cost a forward pass per image, not a training step. */
  finetuneHeadOnly: boolean;
  /** Images of the Fréchet reference pass. */
  referenceImages: number;
  /** Sweeps of the trained run over the K_test grid (baseline, and Fréchet when asked for). */
  sweeps: number;
  /** The payoff experiment: a run at 1.75·K_train, its sweep and a fine-tune of the small run at that size. */
  payoff: boolean;
}

/** A forward pass costs about a third of a training step (forward + backward ≈ 3 forwards). */
const EVAL_COST_RATIO = 1 / 3;
/** The untuned best K_test is near K_test* ≈ 1.25 K_train; candidates reach 1.4× it: 1.2 × 1.25 on average. */
const FINETUNE_SCALE = 1.25 * 1.2;
/** The payoff experiment's large run, as the paper's 224 / 128. */
export const PAYOFF_SCALE = 1.75;

/**
 * Estimated seconds of the whole workflow at K_train = k: training epochs (+ validation), the
 * sweeps over K_train/2 … 2·K_train (mean pixel count 1.75·K² for a uniform grid), the reference
 * pass, the fine-tunes at their candidates with their one-size sweeps, the full sweep of the
 * picked fine-tune, and the payoff experiment when asked for.
 */
export function estimateWorkflowSeconds(k: number, cost: TrainCost, w: Workload): number {
  const train = (size: number) => secondsPerImage(cost, size);
  const evalAt = (size: number) => train(size) * EVAL_COST_RATIO;
  const gridSweep = (size: number) => sweepPlan({ kTrain: size }).kTests.length * w.valImages * evalAt(size * Math.sqrt(1.75));
  const training = (size: number) => w.epochs * (w.trainImages * train(size) + w.valImages * evalAt(size));
  const finetune = (size: number) =>
    w.finetuneEpochs * (w.trainImages * (w.finetuneHeadOnly ? evalAt(size) : train(size)) + w.valImages * evalAt(size)) +
    w.valImages * evalAt(size);
  const kf = k * FINETUNE_SCALE;
  const main =
    training(k) + w.sweeps * gridSweep(k) + w.referenceImages * evalAt(k) + w.finetuneCandidates * finetune(kf) + gridSweep(kf);
  if (!w.payoff) return main;
  const large = k * PAYOFF_SCALE;
  return main + training(large) + gridSweep(large) + finetune(large);
}

/** The largest candidate whose estimated workflow fits the budget (else the smallest, flagged). */
export function chooseKTrain(options: {
  candidates: readonly number[];
  cost: TrainCost;
  workload: Workload;
  budgetSeconds: number;
}): { kTrain: number; fits: boolean; estimates: { k: number; seconds: number }[] } {
  const estimates = options.candidates.map((k) => ({ k, seconds: estimateWorkflowSeconds(k, options.cost, options.workload) }));
  const fitting = estimates.filter((e) => e.seconds <= options.budgetSeconds);
  const chosen = fitting.at(-1) ?? estimates[0]!;
  return { kTrain: chosen.k, fits: fitting.length > 0, estimates };
}
