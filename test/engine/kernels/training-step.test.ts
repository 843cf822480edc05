import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormGradConfig } from '../../../src/engine/backend/batch-norm/batch-norm-grad';
import { installFusedBatchNorm } from '../../../src/engine/backend/batch-norm/fused-layers-batch-norm';
import { createModel, type ModelConfig } from '../../../src/engine/models/create-model';
import { randomValues, relativeError, setUpBackends, TARGETS, type Target, valuesOf } from './compare-backends';

beforeAll(setUpBackends);

interface StepResult {
  loss: number;
  grads: Map<string, Float32Array>;
  kernels: Set<string>;
}

/** Loss and weight gradients of one training-mode step (BN on batch statistics, softmax cross-entropy). */
async function trainingStep(
  backend: string,
  config: ModelConfig,
  weights: Float32Array[],
  batch: { x: number[]; k: number },
): Promise<StepResult> {
  await tf.setBackend(backend);
  const model: tfl.LayersModel = createModel(config);
  model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i]!.shape)));
  const kernels = new Set<string>();
  let result: StepResult | null = null;
  const profile = await tf.profile(async () => {
    const x = tf.tensor4d(randomValues({ shape: batch.x, seed: 11 }), batch.x as [number, number, number, number]);
    const labels = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: batch.x[0]! }, (_, i) => i % config.numClasses),
        'int32',
      ),
      config.numClasses,
    );
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      variables,
    );
    // Layer names get per-process suffixes; weights are matched by their place in the model.
    const byPlace = await Promise.all(
      model.trainableWeights.map(async (w, i) => [`${i}:${w.originalName}`, await valuesOf(grads[variables[i]!.name]!)] as const),
    );
    result = { loss: (await valuesOf(value))[0]!, grads: new Map(byPlace), kernels };
    tf.dispose([x, labels, value, ...Object.values(grads)]);
  });
  profile.kernels.forEach((k) => kernels.add(k.name));
  model.dispose();
  return result!;
}

async function compareStep(
  target: Target,
  config: ModelConfig,
  xShape: number[],
): Promise<{ lossError: number; worst: [string, number]; kernels: Set<string> }> {
  await tf.setBackend('cpu');
  const init = createModel(config);
  const weights = await Promise.all(init.getWeights().map(valuesOf));
  init.dispose();
  // Reference: the cpu backend with tfjs's own batch-norm gradient.
  const reference = await trainingStep('cpu', config, weights, { x: xShape, k: xShape[1]! });
  // The target: everything ensureBackend installs (our kernels, batch-norm gradient, one-op training BN).
  tf.registerGradient(batchNormGradConfig);
  const uninstall = installFusedBatchNorm();
  const out = await trainingStep(target, config, weights, { x: xShape, k: xShape[1]! }).finally(uninstall);
  let worst: [string, number] = ['', 0];
  for (const [name, g] of reference.grads) {
    const err = relativeError(out.grads.get(name) ?? new Float32Array(), g);
    if (err >= worst[1]) worst = [name, err];
  }
  return { lossError: Math.abs(out.loss - reference.loss) / Math.abs(reference.loss), worst, kernels: out.kernels };
}

describe.each(TARGETS)('a full training step on %s matches the cpu backend', (target) => {
  let shipped: tf.GradConfig;
  beforeAll(() => {
    shipped = tf.getGradient(tf.FusedBatchNorm)!;
  });

  it('resnet-mini (conv, BN, ReLU, add, global average pooling, dense, softmax cross-entropy): every weight gradient', async () => {
    tf.registerGradient(shipped);
    const { lossError, worst, kernels } = await compareStep(
      target,
      { arch: 'resnet-mini', numClasses: 5, seed: 3 },
      [4, 12, 12, 3],
    );
    expect(lossError).toBeLessThan(1e-5);
    expect(worst[1], worst[0]).toBeLessThan(1e-4);
    for (const k of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'FusedBatchNorm', 'Mean']) expect(kernels).toContain(k);
  });

  it('resnet18 at width ¼ (7×7 stride-2 stem, 3×3 max-pool, four stages): every weight gradient', async () => {
    tf.registerGradient(shipped);
    const { lossError, worst, kernels } = await compareStep(
      target,
      { arch: 'resnet18', numClasses: 4, width: 0.25, seed: 5 },
      [2, 33, 33, 3],
    );
    expect(lossError).toBeLessThan(1e-5);
    expect(worst[1], worst[0]).toBeLessThan(1e-4);
    expect(kernels).toContain('MaxPool');
  });
});
