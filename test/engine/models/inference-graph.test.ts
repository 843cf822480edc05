import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../../src/engine/models/create-model';
import { compileInference } from '../../../src/engine/models/inference-graph';
import { perturbBatchNorm } from '../../helpers/perturb-bn';
import { liveTensors, useTestBackend } from '../../helpers/tf-backend';

beforeAll(useTestBackend);

function maxRelativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.div(tf.abs(tf.sub(a, b)), tf.add(tf.abs(b), 1e-3))).dataSync()[0]!);
}

describe('compileInference', () => {
  it.each([
    ['resnet-mini', 0.5, [8, 13]],
    ['resnet18', 0.125, [32, 41]],
  ] as const)('matches the layers path of %s (pooled features and logits) at several K', (arch, width, ks) => {
    const model = createModel({ arch, numClasses: 5, width, seed: 3 });
    perturbBatchNorm(model);
    const graph = compileInference(model, ['pool', 'classifier'])!;
    expect(graph).not.toBeNull();
    const features = tfl.model({
      inputs: model.inputs,
      outputs: [model.getLayer('pool').output as tfl.SymbolicTensor, model.outputs[0]!],
    });
    for (const k of ks) {
      const before = liveTensors();
      tf.tidy(() => {
        const x = tf.randomNormal([3, k, k, 3], 0, 1, 'float32', k) as tf.Tensor4D;
        const [pooled, logits] = graph.run(x);
        const [refPooled, refLogits] = features.predict(x) as tf.Tensor[];
        expect(pooled!.shape).toEqual(refPooled!.shape);
        expect(maxRelativeError(pooled!, refPooled!)).toBeLessThan(1e-4);
        expect(maxRelativeError(logits!, refLogits!)).toBeLessThan(1e-4);
      });
      expect(liveTensors()).toBe(before);
    }
    graph.dispose();
    model.dispose();
  });

  it("folds a ZeroPadding2D into the next 'valid' conv and still compiles tfjs 'same' stride-2 convs of older checkpoints", () => {
    const input = tfl.input({ shape: [null, null, 3] });
    const padded = tfl.layers
      .zeroPadding2d({
        padding: [
          [1, 2],
          [0, 1],
        ],
      })
      .apply(input) as tfl.SymbolicTensor;
    const valid = tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid' }).apply(padded);
    const same = tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(valid);
    const pooled = tfl.layers.globalAveragePooling2d({}).apply(same as tfl.SymbolicTensor) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(pooled) as tfl.SymbolicTensor });
    const graph = compileInference(model, [model.outputLayers[0]!.name])!;
    expect(graph).not.toBeNull();
    for (const k of [10, 11]) {
      tf.tidy(() => {
        const x = tf.randomNormal([2, k, k, 3], 0, 1, 'float32', k) as tf.Tensor4D;
        expect(maxRelativeError(graph.run(x)[0]!, model.predict(x) as tf.Tensor)).toBeLessThan(1e-4);
      });
    }
    graph.dispose();
    model.dispose();
  });

  it('gives up (null) on a layer it does not know, so callers fall back to the layers path', () => {
    const input = tfl.input({ shape: [null, null, 3] });
    const conv = tfl.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(input) as tfl.SymbolicTensor;
    const odd = tfl.layers.leakyReLU({}).apply(conv) as tfl.SymbolicTensor;
    const pooled = tfl.layers.globalAveragePooling2d({}).apply(odd) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 2 }).apply(pooled) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    const before = liveTensors();
    expect(compileInference(model, [model.outputLayers[0]!.name])).toBeNull();
    expect(liveTensors()).toBe(before);
  });
});
