import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../../../src/engine/backend/select-backend';
import { runTraining } from '../../../src/engine/train/run-training';
import { tempDir } from '../../helpers/fixtures';
import { liveTensors } from '../../helpers/tf-backend';
import { openSynthetic, syntheticSpec, tinyTrainInput } from '../../helpers/train-input';

await ensureBackend('wasm');
const t = tempDir();
afterAll(() => t.cleanup());

describe('training on the wasm backend', () => {
  it('learns the synthetic patterns to > 90 % validation accuracy, leaking no tensors', async () => {
    const before = liveTensors();
    const input = tinyTrainInput(join(t.dir, 'run'), {
      train: syntheticSpec(128, 8, 1),
      val: syntheticSpec(64, 8, 2),
      batchSize: 16,
      evalBatchSize: 64,
      epochs: 4,
      optimizer: { lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 5e-4, labelSmoothing: 0 },
      schedule: { kind: 'cosine', warmupEpochs: 0 },
    });
    const epochs: number[] = [];
    const result = await runTraining(input, {
      signal: new AbortController().signal,
      openSource: openSynthetic,
      progress: (p) => p.type === 'epoch' && epochs.push(p.summary.val!.acc),
    });
    expect(result).toMatchObject({ status: 'completed', backend: 'wasm' });
    expect(epochs.at(-1)).toBeGreaterThan(0.9);
    expect(liveTensors()).toBe(before);
  });

  it('has the gradient kernels FixRes registers for wasm', () => {
    for (const kernel of ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'])
      expect(tf.getKernel(kernel, 'wasm'), kernel).toMatchObject({ kernelName: kernel, backendName: 'wasm' });
  });
});
