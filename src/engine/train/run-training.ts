import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createHash } from 'node:crypto';
import type { DataSpec } from '../../shared/jobs/data-spec';
import type { EpochSummary, TrainInput, TrainProgress, TrainResult } from '../../shared/jobs/train';
import { ensureBackend } from '../backend/select-backend';
import { loadLatestCheckpoint, saveCheckpoint } from '../checkpoint/checkpoint';
import { loadCheckpointModel, loadCheckpointModelWithHead } from '../checkpoint/checkpoint-model';
import type { Batch, BatchSource } from '../data/batch';
import type { BackendReport } from '../../shared/jobs/doctor';
import { createModel } from '../models/create-model';
import { importPretrained } from '../models/import-pretrained';
import { selectTrainable } from '../models/layer-selection';
import { emptyTotals, type LoopState } from './loop-state';
import { assertFitsMemory, describeTrainingFailure } from './memory-check';
import { toLrSchedule } from './lr-schedule';
import { PeakMemory } from './peak-memory';
import { Sgd, trainableParams } from './sgd';
import { runTrainLoop } from './train-loop';
import { backendLabel } from '../../shared/backends';
import { openFrozenTrunkTraining, type FrozenTrunkTraining } from './frozen-trunk-training';
import type { ForwardSize } from '../eval/forward-memory';
import { trainStep } from './train-step';

export interface TrainContext {
  signal: AbortSignal;
  progress(p: TrainProgress): void;
  /** Opens a DataSpec as batches (the data pipeline's openBatchSource; tests pass synthetic sources). */
  openSource(spec: DataSpec): Promise<BatchSource>;
}

/**
 * The `train` job: builds or restores the model and optimiser, runs the loop with checkpoints
 * after every epoch (and where a cancel stops), and reports the backend, wall time, img/s and
 * peak memory. Every tensor it made is released on every path.
 */
export async function runTraining(input: TrainInput, ctx: TrainContext): Promise<TrainResult> {
  const wallStart = performance.now();
  // A run that names a backend gets it (the engine switches), or fails saying why it cannot load here.
  const backend = await ensureBackend(input.backend);
  assertCanTrain(backend.name, input.trainable);
  const sources: BatchSource[] = [];
  const memory = new PeakMemory();
  let prepared: Prepared | null = null;
  try {
    const train = await ctx.openSource(input.train);
    sources.push(train);
    const val = input.val ? await ctx.openSource(input.val) : null;
    if (val) sources.push(val);
    const configKey = configKeyOf(input);
    prepared = await prepare(input, configKey, backend);
    const { model, sgd, state, history, split } = prepared;
    const batchesPerEpoch = train.batchesPerEpoch({ batchSize: input.batchSize, dropLast: true });
    ctx.progress({
      type: 'start',
      backend: backendLabel(backend),
      startEpoch: state.epoch,
      startBatch: state.batch,
      batchesPerEpoch,
      epochs: input.epochs,
      ...(split ? { forward: split.report } : {}),
    });
    for (const summary of history) ctx.progress({ type: 'epoch', summary });
    const outcome = await runTrainLoop({
      model,
      sgd,
      train,
      val,
      batchSize: input.batchSize,
      evalBatchSize: input.evalBatchSize,
      epochs: input.epochs,
      schedule: toLrSchedule(input.schedule, input.optimizer.lr),
      labelSmoothing: input.optimizer.labelSmoothing,
      state,
      signal: ctx.signal,
      ...(split ? { step: splitStep(split, sgd), validation: split.forwardPass() } : {}),
      onProgress: (p) => {
        memory.sample();
        ctx.progress(p);
      },
      onEpoch: (summary) => {
        history.push(summary);
        ctx.progress({ type: 'epoch', summary });
      },
      checkpoint: async (at) => {
        split?.syncInto(model);
        await saveCheckpoint(input.checkpointDir, { model, slots: sgd.slots(), state: at, seed: input.seed, configKey, history });
        ctx.progress({ type: 'checkpoint', epoch: at.epoch, batch: at.batch });
      },
    });
    return {
      status: outcome.status,
      backend: backendLabel(backend),
      epochsCompleted: outcome.last ? outcome.last.epoch + 1 : state.epoch,
      wallSeconds: (performance.now() - wallStart) / 1000,
      imgPerSec: outcome.trainSeconds > 0 ? outcome.images / outcome.trainSeconds : 0,
      peakRssMb: memory.stop(),
      last: outcome.last,
      finalVal: outcome.finalVal,
    };
  } catch (err) {
    throw describeTrainingFailure(err, input, backend.name);
  } finally {
    memory.stop();
    // After a wasm trap the backend itself may throw again here; the first error is the one to report
    // (and the lab replaces this process).
    try {
      prepared?.sgd.dispose();
      await prepared?.split?.dispose();
      prepared?.model.dispose();
    } catch {
      // see above
    }
    for (const source of sources) await source.close();
  }
}

interface Prepared {
  model: tfl.LayersModel;
  sgd: Sgd;
  /** A head-only fine-tune's frozen trunk on ONNX Runtime and its head in tfjs (the sgd trains the head), or null. */
  split: FrozenTrunkTraining | null;
  state: LoopState;
  /** Summaries of the epochs already finished (from the checkpoint). */
  history: EpochSummary[];
}

async function prepare(input: TrainInput, configKey: string, backend: BackendReport): Promise<Prepared> {
  const checkpoint = input.resume ? await loadLatestCheckpoint(input.checkpointDir) : null;
  if (checkpoint && checkpoint.state.configKey !== configKey) {
    disposeAll(checkpoint.model, checkpoint.slots);
    throw new Error(
      `The checkpoint in ${input.checkpointDir} belongs to a different training configuration; start a new run instead`,
    );
  }
  let model: tfl.LayersModel | null = null;
  let split: FrozenTrunkTraining | null = null;
  let sgd: Sgd;
  try {
    model = checkpoint?.model ?? (await initialModel(input));
    selectTrainable(model, input.trainable);
    split = await openFrozenTrunkTraining(model, { mode: input.trainable, backend, size: trunkSize(input) });
    // A frozen trunk's forward pass was checked where it runs; otherwise the whole step is, before any step runs.
    if (!split) assertFitsMemory(input, backend.name);
    sgd = new Sgd(trainableParams((split?.head ?? model).trainableWeights), {
      momentum: input.optimizer.momentum,
      nesterov: input.optimizer.nesterov,
      weightDecay: input.optimizer.weightDecay,
      decayAllParams: input.optimizer.decayAllParams ?? false,
    });
  } catch (err) {
    await split?.dispose();
    disposeAll(model, checkpoint?.slots ?? {});
    throw err;
  }
  if (!checkpoint) return { model, sgd, split, state: { epoch: 0, batch: 0, partial: emptyTotals() }, history: [] };
  try {
    sgd.restore(checkpoint.slots);
  } catch (err) {
    sgd.dispose();
    await split?.dispose();
    model.dispose();
    throw err;
  } finally {
    disposeAll(null, checkpoint.slots);
  }
  const { epoch, batch, partial, history = [] } = checkpoint.state;
  return { model, sgd, split, state: { epoch, batch, partial }, history };
}

/** A training step of the head alone, fed by the frozen trunk. */
function splitStep(split: FrozenTrunkTraining, sgd: Sgd) {
  return async (batch: Batch, options: { lr: number; labelSmoothing: number }) => {
    const inputs = await split.trunk(batch);
    try {
      return await trainStep(split.head, sgd, batch, { ...options, inputs });
    } finally {
      tf.dispose(inputs);
    }
  };
}

async function initialModel(input: TrainInput): Promise<tfl.LayersModel> {
  const numClasses = input.train.classNames.length;
  const { init } = input;
  if (init.kind === 'scratch') {
    return createModel({
      arch: input.model.arch,
      numClasses,
      width: input.model.width,
      seed: input.seed,
      blocks: input.model.blocks,
    });
  }
  if (init.kind === 'pretrained') return (await importPretrained(init.dir, { numClasses, seed: input.seed })).model;
  if (init.head) return loadCheckpointModelWithHead(init.dir, numClasses, init.head);
  return loadCheckpointModel(init.dir, numClasses);
}

function disposeAll(model: tfl.LayersModel | null, tensors: tf.NamedTensorMap): void {
  model?.dispose();
  for (const t of Object.values(tensors)) t.dispose();
}

/**
 * Refuses up front a backend that lacks the convolution gradient kernels, instead of failing in
 * the first step. Only classifier-only training needs none: every other mode backpropagates
 * through convolutions, and tfjs's fused conv gradient computes the filter gradient too.
 */
function assertCanTrain(backend: string, trainable: TrainInput['trainable']): void {
  const needed = trainable === 'classifier' ? [] : ['Conv2DBackpropFilter', 'Conv2DBackpropInput'];
  const missing = needed.filter((k) => !tf.getKernel(k, tf.getBackend()));
  if (missing.length) {
    throw new Error(
      `The ${backend} backend cannot train convolutional models here (no ${missing.join(', ')} kernel); ` +
        'train on another backend (--backend cpu, or FIXRES_BACKEND=cpu)',
    );
  }
}

/**
 * Identifies a training configuration; everything but where, whether and on which backend to
 * resume, and how much of the decode cache sits in memory or on disk (the copies' size rule
 * stays: it decides the pixels).
 */
export function configKeyOf(input: TrainInput): string {
  const { resume: _resume, checkpointDir: _dir, backend: _backend, train, val, ...rest } = input;
  const config = { ...rest, train: pixelsOf(train), val: val && pixelsOf(val) };
  return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
}

function pixelsOf(spec: DataSpec): DataSpec {
  return spec.cache ? { ...spec, cache: { shortSide: spec.cache.shortSide } } : spec;
}

/** The largest pass a frozen trunk runs: a training batch at K_train, or a validation batch at K_test. */
function trunkSize(input: TrainInput): ForwardSize {
  const train = { k: input.train.transform.k, batch: Math.min(input.batchSize, input.train.items.length) };
  if (!input.val) return train;
  const val = { k: input.val.transform.k, batch: Math.min(input.evalBatchSize, input.val.items.length) };
  return val.k * val.k * val.batch > train.k * train.k * train.batch ? val : train;
}
