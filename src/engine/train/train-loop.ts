import type * as tfl from '@tensorflow/tfjs-layers';
import { etaSeconds } from '../../core/metrics';
import { learningRateAt, type LrSchedule, type ScheduleTiming } from '../../core/schedules';
import type { PassOutcome } from '../../shared/jobs/eval';
import type { EpochSummary, PhaseMetrics, TrainProgress } from '../../shared/jobs/train';
import type { Batch, BatchSource } from '../data/batch';
import type { ForwardPass } from '../eval/forward-pass';
import { evaluate } from '../eval/evaluate';
import type { Sgd } from './sgd';
import { Throttle } from './throttle';
import { trainStep, type StepOutcome } from './train-step';
import { emptyTotals, type LoopState } from './loop-state';

export interface TrainLoopOptions {
  model: tfl.LayersModel;
  sgd: Sgd;
  train: BatchSource;
  val: BatchSource | null;
  batchSize: number;
  evalBatchSize: number;
  epochs: number;
  schedule: LrSchedule;
  labelSmoothing: number;
  state: LoopState;
  signal?: AbortSignal;
  onProgress(progress: Extract<TrainProgress, { type: 'batch' }>): void;
  onEpoch(summary: EpochSummary): void;
  /** Saves a checkpoint at `state` (after every epoch, and where a cancel stopped). */
  checkpoint(state: LoopState): Promise<void>;
  now?: () => number;
  /** The training step (default: trainStep on `model` from the batch's pixels). */
  step?(batch: Batch, options: { lr: number; labelSmoothing: number }): Promise<StepOutcome>;
  /** The forward pass of validation (default: tfjs on `model`). */
  validation?: ForwardPass;
}

export interface LoopOutcome {
  status: 'completed' | 'cancelled';
  /** Training images processed in this call, and the seconds they took. */
  images: number;
  trainSeconds: number;
  last: EpochSummary | null;
  /** The last epoch's validation: its confusion matrix and every image's prediction (null without one). */
  finalVal: PassOutcome | null;
}

export const PROGRESS_INTERVAL_MS = 250;

/**
 * Runs epochs from `state` to `epochs`: SGD steps with the scheduled rate, throttled progress, a
 * validation pass and a summary per epoch, a checkpoint after each. A cancel stops before the
 * next batch and checkpoints there; a NaN/Inf loss throws (the last checkpoint stays).
 */
export async function runTrainLoop(o: TrainLoopOptions): Promise<LoopOutcome> {
  const now = o.now ?? (() => performance.now());
  const batches = o.train.batchesPerEpoch({ batchSize: o.batchSize, dropLast: true });
  if (batches === 0) {
    throw new Error(
      `The training set has ${o.train.numItems} images, fewer than one batch of ${o.batchSize}: lower the batch size`,
    );
  }
  const timing: ScheduleTiming = { stepsPerEpoch: batches, epochs: o.epochs };
  const throttle = new Throttle(PROGRESS_INTERVAL_MS, now);
  const outcome: LoopOutcome = { status: 'completed', images: 0, trainSeconds: 0, last: null, finalVal: null };
  for (let epoch = o.state.epoch; epoch < o.epochs; epoch++) {
    const resumed = epoch === o.state.epoch;
    const totals = resumed ? { ...o.state.partial } : emptyTotals();
    let batch = resumed ? o.state.batch : 0;
    const started = now();
    const cancelAt = async () => {
      totals.seconds += (now() - started) / 1000;
      await o.checkpoint({ epoch, batch, partial: totals });
      outcome.status = 'cancelled';
      return outcome;
    };
    let imagesThisEpoch = 0;
    // The source gets no signal: the loop itself stops between batches and checkpoints there.
    const nextEpoch = epoch + 1 < o.epochs ? epoch + 1 : undefined;
    for await (const data of o.train.epoch(epoch, { batchSize: o.batchSize, startBatch: batch, dropLast: true, nextEpoch })) {
      if (o.signal?.aborted) return cancelAt();
      const lr = learningRateAt(o.schedule, epoch * batches + batch, timing);
      const options = { lr, labelSmoothing: o.labelSmoothing };
      const step = await (o.step ? o.step(data, options) : trainStep(o.model, o.sgd, data, options));
      if (!Number.isFinite(step.loss)) throw diverged(step.loss, epoch, batch, lr);
      totals.lossSum += step.loss * data.size;
      totals.correct += step.correct;
      totals.seen += data.size;
      imagesThisEpoch += data.size;
      batch++;
      if (throttle.ready() || batch === batches) {
        const imgPerSec = imagesThisEpoch / Math.max(1e-9, (now() - started) / 1000);
        const left = ((o.epochs - epoch) * batches - batch) * o.batchSize;
        o.onProgress({
          type: 'batch',
          epoch,
          batch,
          batchesPerEpoch: batches,
          loss: totals.lossSum / totals.seen,
          acc: totals.correct / totals.seen,
          lr,
          imgPerSec,
          etaSeconds: etaSeconds(left, imgPerSec),
        });
      }
    }
    const trainElapsed = (now() - started) / 1000;
    outcome.images += imagesThisEpoch;
    outcome.trainSeconds += trainElapsed;
    if (o.signal?.aborted) return cancelAt();
    const train: PhaseMetrics = {
      loss: totals.lossSum / totals.seen,
      acc: totals.correct / totals.seen,
      top5: null,
      imgPerSec: totals.seen / Math.max(1e-9, totals.seconds + trainElapsed),
      seconds: totals.seconds + trainElapsed,
    };
    const lastEpoch = epoch === o.epochs - 1;
    const checked = o.val ? await validate(o, now, lastEpoch) : null;
    if (checked === 'cancelled') return cancelAt();
    const val = checked?.phase ?? null;
    if (lastEpoch && checked?.outcome) outcome.finalVal = checked.outcome;
    const summary: EpochSummary = { epoch, lr: learningRateAt(o.schedule, epoch * batches, timing), train, val };
    o.onEpoch(summary);
    await o.checkpoint({ epoch: epoch + 1, batch: 0, partial: emptyTotals() });
    outcome.last = summary;
  }
  return outcome;
}

/** One validation pass; the last epoch's keeps every image's prediction for the run's mistakes. */
async function validate(
  o: TrainLoopOptions,
  now: () => number,
  keepItems: boolean,
): Promise<{ phase: PhaseMetrics; outcome: PassOutcome | null } | 'cancelled'> {
  const started = now();
  try {
    const m = await evaluate(o.model, o.val!, {
      batchSize: o.evalBatchSize,
      signal: o.signal,
      keepItems,
      ...(o.validation ? { forward: o.validation } : {}),
    });
    const seconds = (now() - started) / 1000;
    const phase = { loss: m.loss, acc: m.top1, top5: m.top5, imgPerSec: m.n / Math.max(1e-9, seconds), seconds };
    return { phase, outcome: m.items ? { confusion: m.confusion, items: m.items } : null };
  } catch (err) {
    if ((err as Error).name === 'AbortError') return 'cancelled';
    throw err;
  }
}

function diverged(loss: number, epoch: number, batch: number, lr: number): Error {
  const err = new Error(
    `Training diverged: the loss became ${loss} at epoch ${epoch + 1}, batch ${batch + 1} (learning rate ${lr.toPrecision(3)}). ` +
      'Lower the learning rate or add warm-up; the last checkpoint is kept.',
  );
  err.name = 'TrainingDiverged';
  return err;
}
