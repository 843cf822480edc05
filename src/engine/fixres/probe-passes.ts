import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendLabel } from '../../shared/backends';
import type { DataSpec } from '../../shared/jobs/data-spec';
import type { BackendReport } from '../../shared/jobs/doctor';
import type { SpeedProbeInput, SpeedProbeResult, TimedPass, TimedSweepPass } from '../../shared/jobs/sweep';
import type { TrainableMode } from '../../shared/models/trainable';
import type { Batch, BatchSource } from '../data/batch';
import { abortError, evaluate } from '../eval/evaluate';
import type { ForwardSize } from '../eval/forward-memory';
import { openForwardPass } from '../eval/open-forward';
import { selectTrainable } from '../models/layer-selection';
import { openFrozenTrunkTraining } from '../train/frozen-trunk-training';
import { Sgd, trainableParams } from '../train/sgd';
import { trainStep } from '../train/train-step';
import { newAccumulator, summariseActivations } from './activation-fit';

type AlsoTime = NonNullable<SpeedProbeInput['alsoTime']>;

/**
 * What a speed probe times besides training steps, on its own model: a sweep's pass over the
 * validation images and a head-only fine-tune's step (src/core/k-train-choice.ts prices a
 * workflow's sweeps and fine-tunes from them). The validation images are decoded once into
 * copies in a folder of the probe's own, as a sweep's are; a fine-tune's epochs after its first
 * read its copies as well, from memory.
 */
export async function timeOtherPasses(
  model: tfl.LayersModel,
  also: AlsoTime,
  o: PassOptions & { batchSize: number; openSource(spec: DataSpec): Promise<BatchSource> },
): Promise<NonNullable<SpeedProbeResult['also']>> {
  const dir = await mkdtemp(join(tmpdir(), 'fixres-probe-'));
  try {
    const val: DataSpec = { ...also.val, cache: { shortSide: 'original', memoryMb: PROBE_CACHE_MB, dir } };
    const open = () => o.openSource(val);
    const sweep = await timeSweepPass(model, also, { ...o, open });
    const finetune = await timeHeadStep(model, { ...o, open, mode: also.finetuneMode });
    return { sweep, finetune };
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

interface PassOptions {
  backend: BackendReport;
  /** The largest pass (K and batch) the passes run, for the forward pass's memory check. */
  size: ForwardSize;
  signal: AbortSignal;
  /** The fine-tune's steps are timed for at least this long. */
  minSeconds: number;
}

/**
 * A sweep's pass at the probed K as runSweep makes one: the forward engine a sweep opens, then
 * `evaluate` over the validation images with their pooled-feature statistics and fit. The first
 * pass decodes the images into copies in a folder of its own (as a sweep's first K_test does);
 * the second reads the copies, as every later K_test does, and is the one timed per image.
 */
async function timeSweepPass(
  model: tfl.LayersModel,
  also: AlsoTime,
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
        signal: o.signal,
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
    for (let epoch = 0; (images === 0 || elapsed() < o.minSeconds) && epoch < MAX_HEAD_EPOCHS; epoch++) {
      // The next pass starts while this one ends, as a fine-tune's epochs do: a few hundred images
      // are a dozen batches, and the pipeline's start at every pass would otherwise be timed too.
      const nextEpoch = epoch + 1;
      for await (const batch of source.epoch(epoch, { batchSize: o.batchSize, dropLast: false, nextEpoch })) {
        if (o.signal.aborted) throw abortError();
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
