import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, type ModelConfig } from '../../../src/engine/models/create-model';
import { compileInference } from '../../../src/engine/models/inference-graph';
import { perturbBatchNorm } from '../../helpers/perturb-bn';
import {
  gradsOf,
  maxRelativeError,
  randomValues,
  relativeError,
  setUpBackends,
  TARGETS,
  valuesOf,
} from '../kernels/compare-backends';

beforeAll(setUpBackends);

interface Forward {
  /** Pooled features and logits through tfjs-layers, then through the compiled inference graph. */
  layers: Float32Array[];
  graph: Float32Array[];
}

/** The model's forward pass on `backend`, from the same weights (built there, so no tensor crosses backends). */
async function forward(backend: string, config: ModelConfig, weights: Float32Array[], x: number[]): Promise<Forward> {
  await tf.setBackend(backend);
  const model = createModel(config);
  model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i]!.shape)));
  const features = tfl.model({
    inputs: model.inputs,
    outputs: [model.getLayer('pool').output as tfl.SymbolicTensor, model.outputs[0]!],
  });
  const graph = compileInference(model, ['pool', 'classifier'])!;
  const input = tf.tensor4d(randomValues({ shape: x, seed: 7 }), x as [number, number, number, number]);
  const viaLayers = features.predict(input) as tf.Tensor[];
  const viaGraph = graph.run(input);
  const result = { layers: await Promise.all(viaLayers.map(valuesOf)), graph: await Promise.all(viaGraph.map(valuesOf)) };
  tf.dispose([input, ...viaLayers, ...viaGraph]);
  graph.dispose();
  model.dispose();
  return result;
}

/** Weights of a freshly built model with trained-looking BN statistics, as plain arrays. */
async function trainedLookingWeights(config: ModelConfig): Promise<Float32Array[]> {
  await tf.setBackend('cpu');
  const model = createModel(config);
  perturbBatchNorm(model);
  const weights = await Promise.all(model.getWeights().map(valuesOf));
  model.dispose();
  return weights;
}

const models: [string, ModelConfig, number[]][] = [
  [
    'resnet-mini at K 13 (odd: asymmetric same padding)',
    { arch: 'resnet-mini', numClasses: 5, width: 0.5, seed: 3 },
    [2, 13, 13, 3],
  ],
  ['resnet18 at width ⅛, K 33', { arch: 'resnet18', numClasses: 4, width: 0.125, seed: 4 }, [2, 33, 33, 3]],
  ['resnet50 at width 1/16, K 32 (bottlenecks)', { arch: 'resnet50', numClasses: 3, width: 0.0625, seed: 5 }, [1, 32, 32, 3]],
];

describe.each(TARGETS)('models on %s match the cpu backend', (target) => {
  it.each(models)('%s: pooled features and logits, through layers and through the compiled graph', async (_, config, x) => {
    const weights = await trainedLookingWeights(config);
    const reference = await forward('cpu', config, weights, x);
    const out = await forward(target, config, weights, x);
    for (const [i, name] of ['pooled features', 'logits'].entries()) {
      expect(relativeError(out.layers[i]!, reference.layers[i]!), `${name} (layers)`).toBeLessThan(1e-4);
      expect(relativeError(out.graph[i]!, reference.layers[i]!), `${name} (graph)`).toBeLessThan(1e-4);
    }
  });

  it('explicit zero padding before a valid stride-2 convolution (PyTorch-exact padding): values and gradients', async () => {
    const conv = (x: tf.Tensor, w: tf.Tensor) =>
      tf.conv2d(
        tf.pad(x as tf.Tensor4D, [
          [0, 0],
          [3, 3],
          [3, 3],
          [0, 0],
        ]),
        w as tf.Tensor4D,
        2,
        'valid',
      );
    const inputs = [
      { shape: [2, 10, 10, 3], seed: 1 },
      { shape: [7, 7, 3, 4], seed: 2 },
    ];
    expect(await maxRelativeError(inputs, conv, target)).toBeLessThan(1e-4);
    expect(await maxRelativeError(inputs, gradsOf(conv, 3), target)).toBeLessThan(1e-4);
  });
});
