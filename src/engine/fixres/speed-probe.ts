import type { DataSpec } from '../../shared/jobs/data-spec';
import type { SpeedProbeInput, SpeedProbeResult } from '../../shared/jobs/sweep';
import { ensureBackend } from '../backend/select-backend';
import type { BatchSource } from '../data/batch';
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
 * Times `steps` real training steps (data pipeline included) of a fresh model at the train
 * transform's K, after one untimed warm-up step that pays for kernel set-up. The model and the
 * optimiser are thrown away afterwards.
 */
export async function runSpeedProbe(input: SpeedProbeInput, ctx: SpeedProbeContext): Promise<SpeedProbeResult> {
  const backend = await ensureBackend();
  const source = await ctx.openSource(input.train);
  const model = createModel({ ...input.model, numClasses: input.train.classNames.length, seed: 0 });
  const sgd = new Sgd(trainableParams(model.trainableWeights), { momentum: 0.9, nesterov: false, weightDecay: 0 });
  try {
    const total = input.steps + 1;
    let done = 0;
    let images = 0;
    let started = 0;
    for await (const batch of source.epoch(0, { batchSize: input.batchSize, dropLast: true })) {
      if (ctx.signal.aborted) throw abortError();
      await trainStep(model, sgd, batch, { lr: 1e-3, labelSmoothing: 0 });
      if (done === 0) started = performance.now();
      else images += batch.size;
      ctx.progress({ done: ++done, total });
      if (done === total) break;
    }
    if (done < 2) throw new Error(`The speed probe needs at least ${2 * input.batchSize} training images`);
    const seconds = (performance.now() - started) / 1000;
    return { backend: backendLabel(backend), k: input.train.transform.k, imgPerSec: images / Math.max(1e-9, seconds), seconds };
  } finally {
    sgd.dispose();
    model.dispose();
    await source.close();
  }
}
