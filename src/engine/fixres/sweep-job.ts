import type * as tfl from '@tensorflow/tfjs-layers';
import type { DataSpec } from '../../shared/jobs/data-spec';
import type {
  ActivationResult,
  ReferenceResult,
  SweepInput,
  SweepPointResult,
  SweepProgress,
  SweepResult,
} from '../../shared/jobs/sweep';
import type { ClassificationMetrics, PassOutcome } from '../../shared/jobs/eval';
import { ensureBackend } from '../backend/select-backend';
import type { BatchSource } from '../data/batch';
import { evaluate, type FeatureBatch } from '../eval/evaluate';
import type { ForwardPass } from '../eval/forward-pass';
import { openForwardPass } from '../eval/open-forward';
import { loadEvalModel } from '../eval/run-evaluation';
import { findGlobalPool } from '../models/layer-selection';
import { PeakMemory } from '../train/peak-memory';
import { newAccumulator, summariseActivations } from './activation-fit';
import { AdaptedTally, type PooledBatch } from './adapted-tally';
import { planDecodeOnce, type DecodeOnce } from './decode-once';
import { referenceFit } from './reference-fit';
import { backendLabel } from '../../shared/backends';

export interface SweepContext {
  signal: AbortSignal;
  progress(p: SweepProgress): void;
  openSource(spec: DataSpec): Promise<BatchSource>;
}

/**
 * The `sweep` job: loads the model once (it is resolution-agnostic) and, for every K_test, runs
 * one pass over the validation images with the test transform at that K_test: top-1, top-5 and
 * loss, pooled-feature statistics with a Fréchet fit, and (with `adapt`) the same metrics after
 * mapping the features onto the reference fit. Reports every finished K_test as it goes, so a
 * cancelled sweep keeps what it measured; leaves no tensor behind on any path. With `decodeOnce`
 * the images are decoded by the first pass only, and the copies' folder is removed on every path.
 */
export async function runSweep(input: SweepInput, ctx: SweepContext): Promise<SweepResult> {
  const backend = await ensureBackend();
  const started = performance.now();
  const memory = new PeakMemory();
  const numClasses = input.val.classNames.length;
  let model: tfl.LayersModel | null = null;
  let forward: ForwardPass | null = null;
  const decode = await planDecodeOnce(input);
  try {
    model = await loadEvalModel(input.model, numClasses);
    forward = await openForwardPass(model, {
      features: true,
      source: input.model,
      backend,
      size: { k: Math.max(...input.kTests), batch: Math.min(input.batchSize, input.val.items.length) },
    });
    // The rung the forward passes ran on: what the sweep's speed belongs to.
    const ran = forward.report.engine === 'onnxruntime' ? 'onnxruntime' : backendLabel(backend);
    const { decoding } = decode;
    ctx.progress({
      type: 'start',
      backend: ran,
      forward: forward.report,
      kTests: input.kTests,
      images: input.val.items.length,
      decoding,
    });
    const pass = { model, forward };
    const reference = input.adapt ? await referenceFit(model, forward, input, referenceContext(ctx, input, decode)) : null;
    if (reference) ctx.progress({ type: 'reference', reference });
    const points: SweepPointResult[] = [];
    const activations: ActivationResult[] = [];
    let evalSeconds = 0;
    let evalImages = 0;
    const opened = new OpenAhead(ctx, input, decode);
    try {
      for (const [index, kTest] of input.kTests.entries()) {
        const source = await opened.take(index);
        const outcome = await sweepOne(pass, input, ctx, { kTest, index, reference }, source);
        memory.sample();
        points.push(...outcome.points);
        activations.push(outcome.activations);
        evalSeconds += outcome.points[0]!.seconds;
        evalImages += outcome.points[0]!.n;
        ctx.progress({ type: 'point', kTest, points: outcome.points, activations: outcome.activations });
      }
    } finally {
      await opened.dispose();
    }
    return {
      backend: ran,
      forward: forward.report,
      points,
      activations,
      reference,
      decoding,
      wallSeconds: (performance.now() - started) / 1000,
      imgPerSec: evalImages / Math.max(1e-9, evalSeconds),
      peakRssMb: memory.stop(),
    };
  } finally {
    memory.stop();
    await forward?.dispose();
    model?.dispose();
    await decode.dispose();
  }
}

/** A reference pass over the validation images (at K_train) reads and fills the sweep's decoded copies too. */
function referenceContext(ctx: SweepContext, input: SweepInput, decode: DecodeOnce): SweepContext {
  const reference = input.adapt?.reference;
  if (reference?.kind !== 'features' || reference.source !== 'val-at-k-train') return ctx;
  return { ...ctx, openSource: (spec) => ctx.openSource(decode.apply(spec)) };
}

interface OneResolution {
  kTest: number;
  index: number;
  reference: ReferenceResult | null;
}

/** The sweep's model and the forward pass that evaluates it. */
interface Pass {
  model: tfl.LayersModel;
  forward: ForwardPass;
}

async function sweepOne(
  { model, forward }: Pass,
  input: SweepInput,
  ctx: SweepContext,
  at: OneResolution,
  source: BatchSource,
): Promise<{ points: SweepPointResult[]; activations: ActivationResult }> {
  try {
    const accumulator = newAccumulator(input.activations);
    const keep = at.reference !== null && featureBytes(input.val.items.length, model) <= input.featureBudgetMb * 2 ** 20;
    const kept: PooledBatch[] = [];
    const started = performance.now();
    const metrics = await evaluate(model, source, {
      batchSize: input.batchSize,
      signal: ctx.signal,
      forward,
      keepItems: true,
      onBatch: (done) => ctx.progress(batchProgress('evaluate', at, done, source.numItems, started)),
      onFeatures: (b: FeatureBatch) => {
        accumulator.add(b.features);
        if (keep) kept.push({ features: b.features, dim: b.dim, labels: b.labels, indices: b.indices });
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const activations = summariseActivations(at.kTest, accumulator, input.activations);
    const base = { kTest: at.kTest, seconds, imgPerSec: metrics.n / Math.max(1e-9, seconds), n: metrics.n };
    const points: SweepPointResult[] = [
      {
        ...base,
        adapter: 'none',
        top1: metrics.top1,
        top5: metrics.top5,
        loss: metrics.loss,
        correct: metrics.correct!,
        outcome: outcomeOf(metrics),
      },
    ];
    const note = input.adapt ? adaptationNote(at.reference, activations) : null;
    if (input.adapt && note === null) {
      const tally = new AdaptedTally(model, source.numClasses, source.numItems, activations.frechet!, at.reference!.frechet!);
      if (keep) for (const batch of kept) await tally.add(batch);
      else await secondPass({ model, forward }, source, input, ctx, at, tally);
      const adapted = tally.summary();
      points.push({
        ...base,
        adapter: 'frechet',
        top1: adapted.top1,
        top5: adapted.top5,
        loss: adapted.loss,
        correct: adapted.correct!,
        outcome: outcomeOf(adapted),
      });
    }
    return { points, activations: input.adapt ? { ...activations, adaptNote: note } : activations };
  } finally {
    await source.close();
  }
}

/**
 * Why the Fréchet adaptation cannot be used at this K_test, or null when it can: both fits must
 * exist and have converged — a fit stopped short of its optimum maps features by a wrong CDF.
 */
export function adaptationNote(reference: ReferenceResult | null, here: ActivationResult): string | null {
  if (!reference?.frechet) return `no reference fit${reference?.fitError ? ` (${reference.fitError})` : ''}`;
  if (reference.frechet.converged === false) return 'the reference Fréchet fit did not converge';
  if (!here.frechet) return `no Fréchet fit at K_test ${here.kTest}${here.fitError ? ` (${here.fitError})` : ''}`;
  if (here.frechet.converged === false) return `the Fréchet fit at K_test ${here.kTest} did not converge`;
  return null;
}

/** A pass's confusion matrix and per-item predictions (the tally kept its items). */
function outcomeOf(metrics: ClassificationMetrics): PassOutcome {
  if (!metrics.items) throw new Error('The sweep’s tally kept no per-image predictions');
  return { confusion: metrics.confusion, items: metrics.items };
}

/** The features did not fit the memory budget: evaluate again and adapt batch by batch. */
async function secondPass(
  { model, forward }: Pass,
  source: BatchSource,
  input: SweepInput,
  ctx: SweepContext,
  at: OneResolution,
  tally: AdaptedTally,
): Promise<void> {
  const pending: Promise<void>[] = [];
  const started = performance.now();
  await evaluate(model, source, {
    batchSize: input.batchSize,
    signal: ctx.signal,
    forward,
    onBatch: (done) => ctx.progress(batchProgress('adapt', at, done, source.numItems, started)),
    onFeatures: (b) => pending.push(tally.add(b)),
  });
  await Promise.all(pending);
}

function batchProgress(
  phase: 'evaluate' | 'adapt',
  at: OneResolution,
  done: number,
  total: number,
  started: number,
): SweepProgress {
  const seconds = (performance.now() - started) / 1000;
  return { type: 'batch', phase, kTest: at.kTest, index: at.index, done, total, imgPerSec: done / Math.max(1e-9, seconds) };
}

/** Bytes of one pass's pooled features (float32, one row per image). */
function featureBytes(images: number, model: tfl.LayersModel): number {
  const dim = (findGlobalPool(model)?.outputShape as number[] | undefined)?.at(-1) ?? 4096;
  return images * dim * 4;
}

/**
 * Opens each K_test's source one step ahead: the next source's sample workers start (module
 * loading, ~1 s from source) while the current K_test is evaluated, instead of between passes.
 */
class OpenAhead {
  #pending = new Map<number, Promise<BatchSource>>();
  readonly #ctx: SweepContext;
  readonly #input: SweepInput;
  readonly #decode: DecodeOnce;

  constructor(ctx: SweepContext, input: SweepInput, decode: DecodeOnce) {
    this.#ctx = ctx;
    this.#input = input;
    this.#decode = decode;
  }

  /** The source for K_test number `index`; starts opening number `index + 1`. */
  async take(index: number): Promise<BatchSource> {
    const source = this.#pending.get(index) ?? this.#open(index)!;
    this.#pending.delete(index);
    this.#open(index + 1);
    return source;
  }

  /** Closes a source opened ahead that was never taken (cancel, error). */
  async dispose(): Promise<void> {
    const left = [...this.#pending.values()];
    this.#pending.clear();
    await Promise.all(left.map((p) => p.then((s) => s.close()).catch(() => undefined)));
  }

  #open(index: number): Promise<BatchSource> | null {
    const kTest = this.#input.kTests[index];
    if (kTest === undefined) return null;
    const spec: DataSpec = { ...this.#input.val, transform: { ...this.#input.val.transform, k: kTest } };
    const opening = this.#ctx.openSource(this.#decode.apply(spec));
    opening.catch(() => undefined); // awaited by take(); this only stops an unused one from being "unhandled"
    this.#pending.set(index, opening);
    return opening;
  }
}
