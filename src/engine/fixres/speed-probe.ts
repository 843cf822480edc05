import type { SpeedProbeInput, SpeedProbeResult } from '../../shared/jobs/sweep';
import { ensureBackend } from '../backend/select-backend';
import type { DataSpec } from '../../shared/jobs/data-spec';
import type { Batch, BatchSource } from '../data/batch';
import { timeOtherPasses } from './probe-passes';
import { abortError } from '../eval/evaluate';
import { createModel } from '../models/create-model';
import { Sgd, trainableParams } from '../train/sgd';
import { trainStep } from '../train/train-step';
import { backendLabel } from '../../shared/backends';

export interface SpeedProbeContext {
  signal: AbortSignal;
  progress(p: { done: number; total: number }): void;
  openSource(spec: DataSpec): Promise<BatchSource>;
}

/**
 * Times `steps` real training steps of a fresh model at the train transform's K, twice: first on
 * batches straight from the data pipeline (images decoded from their files, as in a run's first
 * epoch), then again on the same batches already in memory for at least `minSeconds` (the steps
 * alone, as in later epochs, where the decode cache and the prefetching pipeline keep the model
 * fed). One untimed warm-up step first pays for kernel set-up; its time, with opening the data
 * and building the model, is the job's set-up time. With `alsoTime` the same model then times a
 * sweep's pass over validation images and a head-only fine-tune's step, what the workflow's other
 * jobs pay per image (src/core/k-train-choice.ts). The model and the optimiser are thrown away afterwards.
 */
export async function runSpeedProbe(input: SpeedProbeInput, ctx: SpeedProbeContext): Promise<SpeedProbeResult> {
  const jobStarted = performance.now();
  const backend = await ensureBackend();
  const source = await ctx.openSource(input.train);
  const model = createModel({ ...input.model, numClasses: input.train.classNames.length, seed: 0 });
  const sgd = new Sgd(trainableParams(model.trainableWeights), { momentum: 0.9, nesterov: false, weightDecay: 0 });
  const step = (batch: Batch) => trainStep(model, sgd, batch, { lr: 1e-3, labelSmoothing: 0 });
  let sourceOpen = true;
  try {
    const warming = performance.now();
    await warmEngine(step, input, ctx.signal);
    const warmSeconds = (performance.now() - warming) / 1000;
    const total = 2 * input.steps + 1;
    let done = 0;
    const timed: Batch[] = [];
    let started = 0;
    for await (const batch of source.epoch(0, { batchSize: input.batchSize, dropLast: true })) {
      if (ctx.signal.aborted) throw abortError();
      await step(batch);
      if (done === 0) started = performance.now();
      else timed.push(batch);
      ctx.progress({ done: ++done, total });
      if (done === input.steps + 1) break;
    }
    if (!timed.length) throw new Error(`The speed probe needs at least ${2 * input.batchSize} training images`);
    const images = timed.reduce((n, b) => n + b.size, 0);
    const pipelineSeconds = (performance.now() - started) / 1000;
    const setupSeconds = (started - jobStarted) / 1000 - warmSeconds;
    // The pipeline's prefetching would compete with the steps for the cores: stop it first. One
    // untimed round warms what the first probe of an engine still pays for (JIT, kernel caches:
    // without it the first probe, at the smallest K, measured slower than the second at 28).
    // Then the steps go round the same batches for at least `minSeconds`: a few tenths of a second
    // alone are at the mercy of whatever else the machine runs.
    sourceOpen = false;
    await source.close();
    const steps = await timeRepeated(timed, step, {
      signal: ctx.signal,
      minSeconds: input.minSeconds ?? 0,
      onBatch: () => ctx.progress({ done: ++done, total: Math.max(total, done) }),
    });
    const result: SpeedProbeResult = {
      backend: backendLabel(backend),
      k: input.train.transform.k,
      imgPerSec: steps.imgPerSec,
      pipelineImgPerSec: images / Math.max(1e-9, pipelineSeconds),
      setupSeconds,
      seconds: steps.seconds,
    };
    if (!input.alsoTime) return result;
    const also = await timeOtherPasses(model, input.alsoTime, {
      backend,
      size: { k: input.train.transform.k, batch: input.batchSize },
      signal: ctx.signal,
      minSeconds: input.minSeconds ?? 0,
      batchSize: input.batchSize,
      openSource: ctx.openSource,
    });
    return { ...result, also };
  } finally {
    sgd.dispose();
    model.dispose();
    if (sourceOpen) await source.close();
  }
}

/**
 * Training steps an engine process takes before its steps reach their steady speed: V8 optimises
 * tfjs's JavaScript as it runs, and on the wasm backend a fresh process's steps at K 28 went from
 * 241 to 630 img/s over its first ~100 (a second model in the same process ran at 590 from its
 * first step). A run of thousands of steps pays that once; a probe of a few dozen would be timed
 * in it and price every step ~20 % high.
 */
const ENGINE_WARM_STEPS = 100;
let engineSteps = 0;

/** Steps on a synthetic batch of the probe's shape until this process has taken ENGINE_WARM_STEPS (the first probe only). */
async function warmEngine(step: (batch: Batch) => Promise<unknown>, input: SpeedProbeInput, signal: AbortSignal): Promise<void> {
  if (engineSteps >= ENGINE_WARM_STEPS) return;
  const { k } = input.train.transform;
  const size = input.batchSize;
  const classes = input.train.classNames.length;
  const batch: Batch = {
    pixels: new Float32Array(size * k * k * 3),
    labels: Int32Array.from({ length: size }, (_, i) => i % classes),
    size,
    k,
    indices: Int32Array.from({ length: size }, (_, i) => i),
  };
  for (; engineSteps < ENGINE_WARM_STEPS; engineSteps++) {
    if (signal.aborted) throw abortError();
    await step(batch);
  }
}

/** Runs `pass` over `batches` once untimed, then timed until one round and `minSeconds` are done. */
async function timeRepeated(
  batches: readonly Batch[],
  pass: (batch: Batch) => Promise<unknown>,
  o: { signal: AbortSignal; minSeconds: number; onBatch(): void },
): Promise<{ imgPerSec: number; seconds: number }> {
  for (const batch of batches) {
    if (o.signal.aborted) throw abortError();
    await pass(batch);
  }
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let images = 0;
  for (let i = 0; i < batches.length || elapsed() < o.minSeconds; i++) {
    if (o.signal.aborted) throw abortError();
    const batch = batches[i % batches.length]!;
    await pass(batch);
    images += batch.size;
    o.onBatch();
  }
  const seconds = elapsed();
  return { imgPerSec: images / Math.max(1e-9, seconds), seconds };
}
