import type { DataSpec } from '../../shared/jobs/data-spec';
import type { SpeedProbeInput, SpeedProbeResult } from '../../shared/jobs/sweep';
import { ensureBackend } from '../backend/select-backend';
import type { Batch, BatchSource } from '../data/batch';
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
 * and building the model, is the job's set-up time. The model and the optimiser are thrown away afterwards.
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
    const setupSeconds = (started - jobStarted) / 1000;
    // The pipeline's prefetching would compete with the steps for the cores: stop it first. One
    // untimed round warms what the first probe of an engine still pays for (JIT, kernel caches:
    // without it the first probe, at the smallest K, measured slower than the second at 28).
    // Then the steps go round the same batches for at least `minSeconds`: a few tenths of a second
    // alone are at the mercy of whatever else the machine runs.
    sourceOpen = false;
    await source.close();
    for (const batch of timed) {
      if (ctx.signal.aborted) throw abortError();
      await step(batch);
    }
    const stepsStarted = performance.now();
    let stepImages = 0;
    const elapsed = () => (performance.now() - stepsStarted) / 1000;
    for (let i = 0; i < timed.length || elapsed() < (input.minSeconds ?? 0); i++) {
      if (ctx.signal.aborted) throw abortError();
      const batch = timed[i % timed.length]!;
      await step(batch);
      stepImages += batch.size;
      done++;
      ctx.progress({ done, total: Math.max(total, done) });
    }
    const seconds = elapsed();
    return {
      backend: backendLabel(backend),
      k: input.train.transform.k,
      imgPerSec: stepImages / Math.max(1e-9, seconds),
      pipelineImgPerSec: images / Math.max(1e-9, pipelineSeconds),
      setupSeconds,
      seconds,
    };
  } finally {
    sgd.dispose();
    model.dispose();
    if (sourceOpen) await source.close();
  }
}
