import type { DataSpec } from '../../shared/jobs/data-spec';
import type { SpeedProbeInput, SpeedProbeResult } from '../../shared/jobs/sweep';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ensureBackend } from '../backend/select-backend';
import type { Batch, BatchSource } from '../data/batch';
import { abortError } from '../eval/evaluate';
import { createModel } from '../models/create-model';
import { Sgd, trainableParams } from '../train/sgd';
import { trainStep } from '../train/train-step';
import { backendLabel } from '../../shared/backends';
import type { BackendReport } from '../../shared/jobs/doctor';
import type { TrainableMode } from '../../shared/models/trainable';
import type { ForwardSize } from '../eval/forward-memory';
import { openForwardPass } from '../eval/open-forward';
import { selectTrainable } from '../models/layer-selection';
import { openFrozenTrunkTraining } from '../train/frozen-trunk-training';
import type { TimedPass, TimedSweepPass } from '../../shared/jobs/sweep';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../eval/evaluate';
import { newAccumulator, summariseActivations } from './activation-fit';

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
    const repeat = { signal: ctx.signal, minSeconds: input.minSeconds ?? 0, warmRounds: 1 };
    const steps = await timeRepeated(timed, step, {
      ...repeat,
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
    const size = { k: input.train.transform.k, batch: input.batchSize };
    // The validation images are decoded once into copies in a folder of the probe's own, as a
    // sweep's are; a fine-tune's epochs after its first read its copies as well, from memory.
    const dir = await mkdtemp(join(tmpdir(), 'fixres-probe-'));
    try {
      const val: DataSpec = { ...input.alsoTime.val, cache: { shortSide: 'original', memoryMb: PROBE_CACHE_MB, dir } };
      const open = () => ctx.openSource(val);
      const sweep = await timeSweepPass(model, input.alsoTime, { backend, size, repeat, open });
      const finetune = await timeHeadStep(model, {
        backend,
        size,
        repeat,
        open,
        mode: input.alsoTime.finetuneMode,
        batchSize: input.batchSize,
      });
      return { ...result, also: { sweep, finetune } };
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    }
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

interface Repeat {
  signal: AbortSignal;
  minSeconds: number;
  /** Untimed rounds over the batches first. */
  warmRounds: number;
  onBatch?(): void;
}

/** Runs `pass` over `batches` (after `warmRounds` untimed rounds) until one round and `minSeconds` are done. */
async function timeRepeated(
  batches: readonly Batch[],
  pass: (batch: Batch) => Promise<unknown>,
  o: Repeat,
): Promise<{ imgPerSec: number; seconds: number }> {
  for (let round = 0; round < o.warmRounds; round++) {
    for (const batch of batches) {
      if (o.signal.aborted) throw abortError();
      await pass(batch);
    }
  }
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let images = 0;
  for (let i = 0; i < batches.length || elapsed() < o.minSeconds; i++) {
    if (o.signal.aborted) throw abortError();
    const batch = batches[i % batches.length]!;
    await pass(batch);
    images += batch.size;
    o.onBatch?.();
  }
  const seconds = elapsed();
  return { imgPerSec: images / Math.max(1e-9, seconds), seconds };
}

interface PassOptions {
  backend: BackendReport;
  size: ForwardSize;
  repeat: Repeat;
}

/**
 * A sweep's pass at the probed K as runSweep makes one: the forward engine a sweep opens, then
 * `evaluate` over the validation images with their pooled-feature statistics and fit. The first
 * pass decodes the images into copies in a folder of its own (as a sweep's first K_test does);
 * the second reads the copies, as every later K_test does, and is the one timed per image.
 */
async function timeSweepPass(
  model: tfl.LayersModel,
  also: NonNullable<SpeedProbeInput['alsoTime']>,
  o: PassOptions & { open(): Promise<BatchSource> },
): Promise<TimedSweepPass> {
  const started = performance.now();
  const forward = await openForwardPass(model, { features: true, source: null, backend: o.backend, size: o.size });
  const setupSeconds = (performance.now() - started) / 1000;
  // Per image from the end of the first batch on: the wait for the first (the workers starting,
  // the pipeline filling) is a K_test's fixed cost, with the statistics' fit after the pass.
  const pass = async (source: BatchSource) => {
    try {
      const accumulator = newAccumulator(also.activations);
      const started = performance.now();
      let firstBatch = 0;
      let untimed = 0;
      const metrics = await evaluate(model, source, {
        batchSize: also.batchSize,
        signal: o.repeat.signal,
        forward,
        keepItems: true,
        onFeatures: (b) => accumulator.add(b.features),
        onBatch: (done) => {
          if (firstBatch > 0) return;
          firstBatch = performance.now();
          untimed = done;
        },
      });
      const evaluated = performance.now();
      summariseActivations(also.val.transform.k, accumulator, also.activations);
      const perImage = (evaluated - firstBatch) / 1000 / Math.max(1, metrics.n - untimed);
      const fixed = (evaluated - started) / 1000 - perImage * metrics.n;
      return { perImage, pointSeconds: Math.max(0, fixed) + (performance.now() - evaluated) / 1000 };
    } finally {
      await source.close();
    }
  };
  // The second source opens while the first pass runs, as a sweep opens each K_test's ahead: its
  // workers' start would otherwise be timed as part of a pass over a few hundred images.
  const firstSource = o.open();
  const secondSource = firstSource.then(() => o.open());
  let thirdSource: Promise<BatchSource> | null = null;
  try {
    const first = await pass(await firstSource);
    // The timed pass shares the machine with the next source's start, as every K_test but the last does.
    thirdSource = o.open();
    const second = await pass(await secondSource);
    const engine = forward.report.engine === 'onnxruntime' ? 'onnxruntime' : backendLabel(o.backend);
    return {
      setupSeconds,
      imgPerSec: 1 / Math.max(1e-9, second.perImage),
      engine,
      decodeSeconds: Math.max(0, first.perImage - second.perImage),
      pointSeconds: second.pointSeconds,
    };
  } finally {
    // A pass that failed leaves the other source open (or opening): close it before the folder goes.
    const sources = [firstSource, secondSource, ...(thirdSource ? [thirdSource] : [])];
    await Promise.allSettled(sources.map((opening) => opening.then((source) => source.close())));
    await forward.dispose();
  }
}

/**
 * A fine-tune's step in `mode`, as a fine-tune run takes it: the head fed by the frozen trunk on
 * ONNX Runtime where the engine splits the model, else the whole model with only `mode`'s layers
 * training; its batches come through the pipeline from decoded copies, as in a fine-tune's epochs
 * after the first (a head step is fast enough for the pipeline to be half of its time). Timed from
 * the second batch, for at least `minSeconds` (and a batch). Leaves the model's trainable flags set
 * for `mode` (the probe's model is thrown away).
 */
async function timeHeadStep(
  model: tfl.LayersModel,
  o: PassOptions & { mode: TrainableMode; batchSize: number; open(): Promise<BatchSource> },
): Promise<TimedPass> {
  const started = performance.now();
  selectTrainable(model, o.mode);
  const split = await openFrozenTrunkTraining(model, { mode: o.mode, backend: o.backend, size: o.size });
  const trained = split?.head ?? model;
  const sgd = new Sgd(trainableParams(trained.trainableWeights), { momentum: 0.9, nesterov: false, weightDecay: 0 });
  let source: BatchSource | null = null;
  try {
    const options = { lr: 1e-3, labelSmoothing: 0 };
    const step = async (batch: Batch) => {
      if (!split) return trainStep(model, sgd, batch, options);
      const inputs = await split.trunk(batch);
      try {
        return await trainStep(split.head, sgd, batch, { ...options, inputs });
      } finally {
        tf.dispose(inputs);
      }
    };
    const setupSeconds = (performance.now() - started) / 1000;
    source = await o.open();
    let timedFrom = 0;
    let images = 0;
    const elapsed = () => (performance.now() - timedFrom) / 1000;
    for (let epoch = 0; (images === 0 || elapsed() < o.repeat.minSeconds) && epoch < MAX_HEAD_EPOCHS; epoch++) {
      // The next pass starts while this one ends, as a fine-tune's epochs do: a few hundred images
      // are a dozen batches, and the pipeline's start at every pass would otherwise be timed too.
      const nextEpoch = epoch + 1;
      for await (const batch of source.epoch(epoch, { batchSize: o.batchSize, dropLast: false, nextEpoch })) {
        if (o.repeat.signal.aborted) throw abortError();
        await step(batch);
        if (timedFrom === 0) timedFrom = performance.now();
        else images += batch.size;
      }
    }
    if (!images) throw new Error('The speed probe has no validation images to time a fine-tune on');
    return {
      setupSeconds,
      imgPerSec: images / Math.max(1e-9, elapsed()),
      engine: split ? 'onnxruntime' : backendLabel(o.backend),
    };
  } finally {
    await source?.close();
    sgd.dispose();
    await split?.dispose();
  }
}

/** Decoded copies the probe keeps in memory (a few hundred images; the rest spill to its folder). */
const PROBE_CACHE_MB = 64;

/** Passes over the probe's validation images at most, timing a fine-tune's step. */
const MAX_HEAD_EPOCHS = 8;
