import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ForwardReport } from '../../shared/jobs/eval';
import type { Batch } from '../data/batch';
import { inferenceForward } from './forward';

/** A batch's logits [N, classes] and, when the pass was opened with features, pooled features [N, C]. The caller disposes both. */
export interface ForwardOutput {
  logits: tf.Tensor2D;
  pooled: tf.Tensor2D | null;
}

/** What a forward pass reads of a batch: size × k × k × 3 normalised NHWC pixels. */
export type ForwardBatch = Pick<Batch, 'pixels' | 'size' | 'k'>;

/** Inference forward passes of one model's current weights, on tfjs or ONNX Runtime. */
export interface ForwardPass {
  readonly report: ForwardReport;
  /** True when run() returns pooled features. */
  readonly features: boolean;
  /** Only the batch's pixels are read, so predictions without labels can pass { pixels, size, k }. */
  run(batch: ForwardBatch): Promise<ForwardOutput>;
  dispose(): Promise<void>;
}

/** The tfjs forward pass on the engine's backend (BN folded into the convolutions when the model allows). */
export function tfjsForwardPass(
  model: tfl.LayersModel,
  options: { features: boolean; fold?: boolean; backend: string; reason: string },
): ForwardPass {
  const forward = inferenceForward(model, { features: options.features, fold: options.fold });
  return {
    report: {
      engine: 'tfjs',
      detail: `tfjs ${options.backend}${forward.folded ? ', BN folded' : ''}`,
      reason: options.reason,
    },
    features: options.features,
    run: async (batch) => {
      const [logits, pooled] = tf.tidy(() => {
        const out = forward.run(tf.tensor4d(batch.pixels, [batch.size, batch.k, batch.k, 3]));
        return out.pooled ? [out.logits, out.pooled] : [out.logits];
      });
      return { logits: logits as tf.Tensor2D, pooled: (pooled as tf.Tensor2D | undefined) ?? null };
    },
    dispose: async () => forward.dispose(),
  };
}
