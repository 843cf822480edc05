import type { WorkflowStepName } from '../shared/api/workflows';
import { sweepPlan } from './sweep-plan';

/** Training seconds per image at resolution K: a + b·K² (fixed per-image cost + convolutions ∝ pixels). */
export interface TrainCost {
  a: number;
  b: number;
}

/** Everything the workflow's time estimate takes from measurements (the speed probes, or finished runs). */
export interface PlanCost extends TrainCost {
  /**
   * Seconds to decode one training image file and prepare it (the probe's pipeline-fed steps minus
   * the same steps on batches in memory). Runs and fine-tunes pay it in their first epoch (later
   * ones read their decode cache); the Fréchet reference once.
   */
  decodeSeconds: number;
  /** Seconds an engine job spends before its first image: opening the data, building the model, the first step (the probe's own). */
  jobSeconds: number;
  /**
   * The other passes a workflow's jobs make, as the probes timed them: a sweep's pass over
   * validation images and a head-only fine-tune's step, each per image at K and with the seconds
   * opening it took (ONNX export and session). Absent when the cost comes from finished runs:
   * ratios to t(K) stand in.
   */
  passes?: { sweep: SweepPassCost; finetune: PassCost };
}

/** Seconds per image a + b·K² of one kind of pass, and the seconds opening it takes once per job. */
export interface PassCost extends TrainCost {
  setupSeconds: number;
}

/** A sweep's pass: per image from decoded copies, plus decoding each validation image once and the statistics' fit per K_test. */
export interface SweepPassCost extends PassCost {
  decodeSeconds: number;
  pointSeconds: number;
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

/** What one speed probe measured (src/engine/fixres/speed-probe.ts). */
export interface ProbeMeasurement {
  k: number;
  /** Steps on batches in memory. */
  imgPerSec: number;
  /** The same steps fed from the image files. */
  pipelineImgPerSec: number;
  setupSeconds: number;
  /** A sweep's pass over validation images and a head-only fine-tune's step (probes that timed them). */
  also?: { sweep: TimedPassMeasurement & { decodeSeconds: number; pointSeconds: number }; finetune: TimedPassMeasurement };
}

/** One pass a probe timed: opening it, then images per second. */
export interface TimedPassMeasurement {
  setupSeconds: number;
  imgPerSec: number;
}

/**
 * The plan's cost from its speed probes (smallest K first). A K probed more than once counts its
 * fastest probe: a slower one paid for a cold engine (the first probe of a fresh engine ran up to
 * 4× slower than the same K's second, bench:plan) or a load spike, and the warm probes matched the
 * runs' own speed. t(K) is fitted to those; decoding per image comes from the smallest K's (where
 * the steps hide the least of it); the job set-up from the last probe (the engine was warm by then,
 * as for the workflow's later jobs).
 */
export function costFromProbes(probes: readonly ProbeMeasurement[]): PlanCost {
  if (!probes.length) throw new RangeError('A plan cost needs at least one speed probe');
  const fastest = fastestPerK(probes, (p) => p.imgPerSec);
  const small = fastest.find((p) => p.k === probes[0]!.k)!;
  const timed = probes.filter((p) => p.also);
  const pass = (of: (p: ProbeMeasurement) => TimedPassMeasurement): PassCost => ({
    ...fitTrainCost(fastestPerK(timed, (p) => of(p).imgPerSec).map((p) => ({ k: p.k, imgPerSec: of(p).imgPerSec }))),
    setupSeconds: of(timed.at(-1)!).setupSeconds,
  });
  const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor((values.length - 1) / 2)]!;
  const sweep = (): SweepPassCost => ({
    ...pass((p) => p.also!.sweep),
    // Neither depends on K much (the files are decoded at their own size; the fit sees a sample): the lower median.
    decodeSeconds: median(timed.map((p) => p.also!.sweep.decodeSeconds)),
    pointSeconds: median(timed.map((p) => p.also!.sweep.pointSeconds)),
  });
  return {
    ...fitTrainCost(fastest),
    decodeSeconds: Math.max(0, 1 / small.pipelineImgPerSec - 1 / small.imgPerSec),
    jobSeconds: probes.at(-1)!.setupSeconds,
    ...(timed.length ? { passes: { sweep: sweep(), finetune: pass((p) => p.also!.finetune) } } : {}),
  };
}

/** Each K's fastest measurement by `speed` (in the order the Ks first appear). */
function fastestPerK(probes: readonly ProbeMeasurement[], speed: (p: ProbeMeasurement) => number): ProbeMeasurement[] {
  const fastest = new Map<number, ProbeMeasurement>();
  for (const p of probes) {
    const best = fastest.get(p.k);
    if (!best || speed(p) > speed(best)) fastest.set(p.k, p);
  }
  return [...fastest.values()];
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
  /** Seconds the plan step has spent already (its speed probes): the budget pays for them too. */
  planSeconds: number;
}

/*
 * Where the probes did not time a sweep's forward pass and a fine-tune's step (a cost from finished
 * runs), these ratios to a training step t(K) at the same size stand in, as `npm run bench:plan`
 * measured them on the sample set (docs/BENCHMARKS.md, "Workflow plan"). A forward pass is about
 * a third of a training step in FLOPs; what the workflow pays per image differs for the reasons each gives.
 */
/** A sweep, per validation image and K_test: an ONNX Runtime forward pass (faster than tfjs), the resize, the per-image outcome and the pooled-feature statistics. */
export const SWEEP_COST_RATIO = 0.2;
/** A head-only fine-tune, per image and epoch: the frozen trunk on ONNX Runtime and the head's step. */
export const HEAD_FINETUNE_COST_RATIO = 0.15;
/** A training run's validation pass per image: tfjs inference on batches from the decode cache (0.11–0.16). */
export const EVAL_COST_RATIO = 0.13;
/** The untuned best K_test is near K_test* ≈ 1.25 K_train; candidates reach 1.4× it: 1.2 × 1.25 on average. */
const FINETUNE_SCALE = 1.25 * 1.2;
/** The payoff experiment's large run, as the paper's 224 / 128. */
export const PAYOFF_SCALE = 1.75;

/** Per-image seconds and set-up of the passes besides training, from the probes or else the ratios. */
function passCosts(cost: PlanCost, headOnly: boolean) {
  const train = (size: number) => secondsPerImage(cost, size);
  const { sweep, finetune } = cost.passes ?? {};
  const headStep = (size: number) => (finetune ? secondsPerImage(finetune, size) : HEAD_FINETUNE_COST_RATIO * train(size));
  return {
    train,
    /** A sweep pass per validation image at `size`, from decoded copies (the fine-tunes' validation passes too). */
    test: (size: number) => (sweep ? secondsPerImage(sweep, size) : SWEEP_COST_RATIO * train(size)),
    /** Opening a sweep's forward pass; decoding a validation image; a K_test's statistics. */
    sweepSetup: sweep?.setupSeconds ?? 0,
    valDecode: sweep?.decodeSeconds ?? cost.decodeSeconds,
    point: sweep?.pointSeconds ?? 0,
    finetuneStep: (size: number) => (headOnly ? headStep(size) : train(size)),
    /**
     * A fine-tune's validation image: a head-only one passes the frozen trunk as its step does (the
     * trunk is nearly all of either: bench:plan, 0.17 and 0.23 ms at K 28); else a run's validation.
     */
    finetuneVal: (size: number) => (headOnly ? headStep(size) : EVAL_COST_RATIO * train(size)),
    finetuneSetup: headOnly ? (finetune?.setupSeconds ?? 0) : 0,
  };
}

/**
 * Estimated seconds of each workflow step at K_train = k. Every engine job pays the probe's job
 * set-up once, and a job on ONNX Runtime opens its session once (the passes' set-up). A run pays
 * t(K) per image and epoch and a validation pass per epoch; a sweep decodes its validation images
 * once (as a run's or a fine-tune's first epoch does), then pays a test pass per image and its statistics' fit per K_test (the Fréchet reference
 * decodes and passes its training images once at K_train); a fine-tune decodes its images, pays
 * its step per training image and a validation pass per image each epoch, then a one-size
 * sweep at its K_test. The sweeps of the fine-tuned and the large model use the first sweep's grid,
 * as the workflow does. Typed over every step name: a step added to the workflow does not compile
 * until it is estimated here.
 */
export function estimateWorkflowSteps(k: number, cost: PlanCost, w: Workload): Record<WorkflowStepName, number> {
  const c = passCosts(cost, w.finetuneHeadOnly);
  const grid = sweepPlan({ kTrain: k }).kTests;
  const sweepAt = (sizes: readonly number[]) =>
    cost.jobSeconds +
    c.sweepSetup +
    w.valImages * c.valDecode +
    sizes.reduce((s, size) => s + w.valImages * c.test(size) + c.point, 0);
  // The first epoch decodes every image from its file (bench:plan: 10.9 s against 3.9 s for each later one at K 16).
  const training = (size: number) =>
    cost.jobSeconds +
    w.trainImages * cost.decodeSeconds +
    w.valImages * c.valDecode +
    w.epochs * (w.trainImages + w.valImages * EVAL_COST_RATIO) * c.train(size);
  const finetune = (size: number) =>
    cost.jobSeconds +
    c.finetuneSetup +
    w.trainImages * cost.decodeSeconds +
    w.valImages * c.valDecode +
    w.finetuneEpochs * (w.trainImages * c.finetuneStep(size) + w.valImages * c.finetuneVal(size)) +
    sweepAt([Math.round(size)]);
  const kf = k * FINETUNE_SCALE;
  const large = k * PAYOFF_SCALE;
  return {
    plan: w.planSeconds,
    train: training(k),
    analyze: 0,
    sweep: sweepAt(grid),
    adapt: w.sweeps > 1 ? sweepAt(grid) + w.referenceImages * (cost.decodeSeconds + c.test(k)) + c.point : 0,
    finetune: w.finetuneCandidates * finetune(kf),
    'sweep-finetuned': sweepAt(grid),
    'train-large': w.payoff ? training(large) : 0,
    'sweep-large': w.payoff ? sweepAt([...grid, Math.round(large)]) : 0,
    'finetune-large': w.payoff ? finetune(large) : 0,
    summary: 0,
  };
}

/** Estimated seconds of the whole workflow at K_train = k: the sum of its steps' estimates. */
export function estimateWorkflowSeconds(k: number, cost: PlanCost, w: Workload): number {
  return Object.values(estimateWorkflowSteps(k, cost, w)).reduce((a, b) => a + b, 0);
}

/** The largest candidate whose estimated workflow fits the budget (else the smallest, flagged). */
export function chooseKTrain(options: {
  candidates: readonly number[];
  cost: PlanCost;
  workload: Workload;
  budgetSeconds: number;
}): { kTrain: number; fits: boolean; estimates: { k: number; seconds: number }[] } {
  const estimates = options.candidates.map((k) => ({ k, seconds: estimateWorkflowSeconds(k, options.cost, options.workload) }));
  const fitting = estimates.filter((e) => e.seconds <= options.budgetSeconds);
  const chosen = fitting.at(-1) ?? estimates[0]!;
  return { kTrain: chosen.k, fits: fitting.length > 0, estimates };
}
