import * as tf from '@tensorflow/tfjs-core';
import type * as Ort from 'onnxruntime-node';
import type { ForwardBatch, ForwardPass } from '../eval/forward-pass';
import { ONNX_INPUT, ONNX_LOGITS, ONNX_POOLED } from './export-onnx';
import type { OrtModule, OrtSession } from './ort-runtime';

/**
 * The batch's pixels as the `image` input. The data workers render into a SharedArrayBuffer,
 * which ONNX Runtime's binding refuses ("Invalid argument"): such pixels are copied first.
 */
export function imageFeed(ort: OrtModule, batch: ForwardBatch): Record<string, Ort.Tensor> {
  const pixels = batch.pixels.buffer instanceof SharedArrayBuffer ? new Float32Array(batch.pixels) : batch.pixels;
  return { [ONNX_INPUT]: new ort.Tensor('float32', pixels, [batch.size, batch.k, batch.k, 3]) };
}

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
      const out = await session.run(imageFeed(ort, batch), fetches);
      const toTensor = (name: string) => {
        const t = out[name]!;
        return tf.tensor2d(t.data as Float32Array, t.dims as [number, number]);
      };
      return { logits: toTensor(ONNX_LOGITS), pooled: options.features ? toTensor(ONNX_POOLED) : null };
    },
    dispose: () => session.release(),
  };
}
