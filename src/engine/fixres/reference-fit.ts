import type * as tfl from '@tensorflow/tfjs-layers';
import { userError } from '../../shared/errors';
import type { ReferenceResult, SweepInput } from '../../shared/jobs/sweep';
import { evaluate } from '../eval/evaluate';
import type { ForwardPass } from '../eval/forward-pass';
import { newAccumulator, summariseActivations } from './activation-fit';
import type { SweepContext } from './sweep-job';

/**
 * The distribution the Fréchet adaptation maps onto. Given as a fit, it is used as is; given as
 * data (by default the training images with the run's own training transform at K_train: the
 * features the classifier was trained on), one pass collects its pooled features and fits them.
 */
export async function referenceFit(
  model: tfl.LayersModel,
  forward: ForwardPass,
  input: SweepInput,
  ctx: SweepContext,
): Promise<ReferenceResult> {
  const reference = input.adapt!.reference;
  if (reference.kind === 'fit') {
    const { mu, sigma, xi, zeros } = reference.fit;
    const empty = newAccumulator(input.activations).summary();
    return { kTest: 0, source: 'given', images: 0, summary: empty, frechet: { mu, sigma, xi, zeros, ks: 0 }, fitError: null };
  }
  const source = await ctx.openSource(reference.data);
  try {
    const accumulator = newAccumulator(input.activations);
    const started = performance.now();
    const metrics = await evaluate(model, source, {
      batchSize: input.batchSize,
      signal: ctx.signal,
      forward,
      onBatch: (done) =>
        ctx.progress({
          type: 'batch',
          phase: 'reference',
          kTest: source.k,
          index: 0,
          done,
          total: source.numItems,
          imgPerSec: done / Math.max(1e-9, (performance.now() - started) / 1000),
        }),
      onFeatures: (b) => accumulator.add(b.features),
    });
    const result = summariseActivations(source.k, accumulator, input.activations);
    if (!result.frechet) throw userError(`The reference features at K=${source.k} cannot be fitted: ${result.fitError}`);
    return { ...result, source: reference.source, images: metrics.n };
  } finally {
    await source.close();
  }
}
