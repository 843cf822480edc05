import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardBytes } from '../../../src/core/forward-memory';
import { BASE_BYTES } from '../../../src/core/training-memory';
import { inferenceForward } from '../../../src/engine/eval/forward';
import { assertForwardFits, measureForwardFootprint } from '../../../src/engine/eval/forward-memory';
import { createModel } from '../../../src/engine/models/create-model';
import { useTestBackend } from '../../helpers/tf-backend';

beforeAll(async () => {
  await useTestBackend();
});

describe('forward-pass memory measured from the model', () => {
  it('predicts what a tfjs pass at another K and batch holds from one small pass, and leaves no tensor behind', async () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 4, width: 0.5 });
    const tensors = tf.memory().numTensors;
    const footprint = await measureForwardFootprint(model);
    expect(tf.memory().numTensors).toBe(tensors);

    const forward = inferenceForward(model, { features: false });
    const before = tf.memory().numBytes;
    const pass = await tf.profile(() => tf.tidy(() => forward.run(tf.zeros([3, 96, 96, 3])).logits));
    tf.dispose(pass.result as tf.Tensor);
    forward.dispose();
    const predicted = forwardBytes(footprint, 'tfjs', 96, 3) - BASE_BYTES;
    // The prediction also counts the batch's pixels (12 bytes a pixel), which zeros() made inside the pass here.
    expect(predicted / (pass.peakBytes - before)).toBeGreaterThan(0.95);
    expect(predicted / (pass.peakBytes - before)).toBeLessThan(1.1);
    model.dispose();
  });

  it('refuses in the words of a training refusal, and FIXRES_MEMORY_CHECK=off lets it run anyway', async () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 4, width: 1 });
    const place = { engine: 'tfjs', backend: 'wasm', gpu: false } as const;
    await expect(assertForwardFits(model, place, { k: 1024, batch: 64 })).rejects.toThrow(
      /^K 1024 × batch 64 needs ~\d+\.\d GB; the WebAssembly backend has 4 GB: lower the batch to ≤ \d+$/,
    );
    process.env.FIXRES_MEMORY_CHECK = 'off';
    try {
      await expect(assertForwardFits(model, place, { k: 1024, batch: 64 })).resolves.toBeUndefined();
    } finally {
      delete process.env.FIXRES_MEMORY_CHECK;
    }
    model.dispose();
  });
});
