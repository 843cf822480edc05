import * as tf from '@tensorflow/tfjs-core';
import type { ForwardPass } from '../eval/forward-pass';
import { ONNX_INPUT, ONNX_LOGITS, ONNX_POOLED } from './export-onnx';
import type { OrtSession } from './ort-runtime';

/**
 * The ONNX Runtime forward pass of an exported model (outputs `logits` and `pooled`): the batch's
 * NHWC pixels go in as they are, the outputs come back as tfjs tensors for the shared metrics code.
 */
export function ortForwardPass(open: OrtSession, options: { features: boolean; reason: string }): ForwardPass {
  const { ort, session } = open;
  const fetches = options.features ? [ONNX_LOGITS, ONNX_POOLED] : [ONNX_LOGITS];
  return {
    report: {
      engine: 'onnxruntime',
      detail:
        `onnxruntime ${ort.env.versions.node ?? ''} ${open.provider}, ${open.threads} thread${open.threads > 1 ? 's' : ''}`.replace(
          '  ',
          ' ',
        ),
      reason: [options.reason, ...open.notes].join('; '),
    },
    features: options.features,
    run: async (batch) => {
      const input = new ort.Tensor('float32', batch.pixels, [batch.size, batch.k, batch.k, 3]);
      const out = await session.run({ [ONNX_INPUT]: input }, fetches);
      const toTensor = (name: string) => {
        const t = out[name]!;
        return tf.tensor2d(t.data as Float32Array, t.dims as [number, number]);
      };
      return { logits: toTensor(ONNX_LOGITS), pooled: options.features ? toTensor(ONNX_POOLED) : null };
    },
    dispose: () => session.release(),
  };
}
