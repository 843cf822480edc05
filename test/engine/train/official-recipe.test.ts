import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OFFICIAL_MOMENTUM, OFFICIAL_WEIGHT_DECAY, officialFinetuneLr } from '../../../src/core/finetune-recipe';
import { Rng } from '../../../src/core/rng';
import { createModel } from '../../../src/engine/models/create-model';
import { lastBatchNorm, selectTrainable } from '../../../src/engine/models/layer-selection';
import type { TrainableMode } from '../../../src/shared/models/trainable';
import { Sgd, trainableParams } from '../../../src/engine/train/sgd';
import { trainStep } from '../../../src/engine/train/train-step';
import { perturbBatchNorm } from '../../helpers/perturb-bn';
import { hasReferencePython, REFERENCE_MISSING, runReference } from '../../helpers/python-reference';
import { useTestBackend } from '../../helpers/tf-backend';

beforeAll(useTestBackend);

interface TorchStep {
  losses: number[];
  weights: Record<string, number[][]>;
}

const BATCH = 8;
const K = 12;
const CLASSES = 4;

/** The model as the PyTorch reference rebuilds it: layers in order, their inputs and weights. */
function graphSpec(model: tfl.LayersModel) {
  const layers = model.layers.map((l) => ({
    name: l.name,
    className: l.getClassName(),
    config: l.getConfig(),
    inbound: l.inboundNodes.flatMap((n) => n.inboundLayers.map((i) => i.name)),
  }));
  const weights = Object.fromEntries(model.layers.map((l) => [l.name, l.getWeights().map((w) => Array.from(w.dataSync()))]));
  const shapes = Object.fromEntries(model.layers.map((l) => [l.name, l.getWeights().map((w) => w.shape)]));
  return { layers, weights, shapes };
}

function batchOf(seed: number) {
  const rng = Rng.fromSeed(seed);
  const pixels = Float32Array.from({ length: BATCH * K * K * 3 }, () => rng.uniformRange(-2, 2));
  const labels = Int32Array.from({ length: BATCH }, (_, i) => i % CLASSES);
  return { pixels, labels, size: BATCH, k: K, indices: Int32Array.from({ length: BATCH }, (_, i) => i) };
}

/** A trained-looking model: BN statistics and affine parameters perturbed, a non-zero classifier bias. */
function trainedModel(): tfl.LayersModel {
  const model = createModel({ arch: 'resnet-mini', numClasses: CLASSES, width: 0.25, seed: 11 });
  perturbBatchNorm(model);
  const classifier = model.getLayer('classifier');
  const [kernel] = classifier.getWeights();
  classifier.setWeights([kernel!, tf.randomNormal([CLASSES], 0, 0.5, 'float32', 3)]);
  return model;
}

let model: tfl.LayersModel | null = null;
afterEach(() => {
  model?.dispose();
  model = null;
});

async function labSteps(mode: TrainableMode, options: { lr: number; weightDecay: number; steps: number }) {
  model = trainedModel();
  const before = graphSpec(model);
  selectTrainable(model, mode);
  const sgd = new Sgd(trainableParams(model.trainableWeights), {
    momentum: OFFICIAL_MOMENTUM,
    nesterov: false,
    weightDecay: options.weightDecay,
    decayAllParams: true,
  });
  const batch = batchOf(5);
  const losses: number[] = [];
  for (let s = 0; s < options.steps; s++)
    losses.push((await trainStep(model, sgd, batch, { lr: options.lr, labelSmoothing: 0 })).loss);
  sgd.dispose();
  return { before, after: graphSpec(model).weights, losses, batch };
}

function expectClose(actual: number[], expected: number[], what: string, tolerance = 2e-4): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  actual.forEach((a, i) => (worst = Math.max(worst, Math.abs(a - expected[i]!) / (1e-3 + Math.abs(expected[i]!)))));
  expect(worst, what).toBeLessThan(tolerance);
}

describe('the official FixRes fine-tune step (last-bn+classifier) against PyTorch', () => {
  it.skipIf(!hasReferencePython()).each([
    ['the official lr rule and weight decay 1e-4', officialFinetuneLr(512), OFFICIAL_WEIGHT_DECAY],
    ['a strong weight decay (so decay of the bias shows)', 0.05, 0.05],
  ])('gives PyTorch’s losses, classifier and re-estimated BN statistics after 3 steps: %s', async (_name, lr, weightDecay) => {
    const lab = await labSteps('last-bn+classifier', { lr, weightDecay, steps: 3 });
    const reEstimate = lastBatchNorm(model!)!.name;
    const torch = runReference<TorchStep>('torch_finetune_step.py', {
      ...lab.before,
      x: Array.from(lab.batch.pixels),
      xShape: [BATCH, K, K, 3],
      labels: Array.from(lab.batch.labels),
      steps: 3,
      lr,
      momentum: OFFICIAL_MOMENTUM,
      weightDecay,
      reEstimate,
      train: ['classifier'],
    });
    expectClose(lab.losses, torch.losses, 'losses');
    for (const [layer, weights] of Object.entries(torch.weights)) {
      weights.forEach((w, i) => expectClose(lab.after[layer]![i]!, w, `${layer} weight ${i}`));
    }
    // The recipe moved what it should and nothing else.
    const moved = (layer: string, i: number) => lab.after[layer]![i]!.some((v, j) => v !== lab.before.weights[layer]![i]![j]);
    expect(moved('classifier', 0) && moved('classifier', 1)).toBe(true);
    expect([moved(reEstimate, 0), moved(reEstimate, 1), moved(reEstimate, 2), moved(reEstimate, 3)]).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(moved('stem_bn', 2) || moved('stem_conv', 0)).toBe(false);
  });
  if (!hasReferencePython()) console.warn(`PyTorch fine-tune step ${REFERENCE_MISSING}`);
});

describe('last-bn+classifier (the official recipe) in the lab', () => {
  it('gives gradients to the classifier only; the last BN keeps γ/β but re-estimates its statistics', async () => {
    model = trainedModel();
    expect(selectTrainable(model, 'last-bn+classifier')).toEqual(['classifier']);
    expect(model.trainableWeights.map((w) => w.originalName)).toEqual(['classifier/kernel', 'classifier/bias']);
  });

  it('updates the running variance with the unbiased batch variance, as PyTorch does', async () => {
    model = trainedModel();
    selectTrainable(model, 'last-bn+classifier');
    const bn = lastBatchNorm(model)!;
    const [, , mean0, var0] = bn.getWeights().map((w) => Array.from(w.dataSync()));
    const probe = (await import('@tensorflow/tfjs-layers')).model({
      inputs: model.inputs,
      outputs: bn.input as tfl.SymbolicTensor,
    });
    const x = tf.tensor4d(batchOf(9).pixels, [BATCH, K, K, 3]);
    const input = probe.predict(x) as tf.Tensor4D;
    const { mean, variance } = tf.moments(input, [0, 1, 2]);
    const count = input.size / input.shape[3];
    tf.tidy(() => model!.apply(x, { training: true }) as tf.Tensor);
    const [, , mean1, var1] = bn.getWeights().map((w) => Array.from(w.dataSync()));
    const batchMean = Array.from(mean.dataSync());
    const unbiased = Array.from(variance.dataSync()).map((v) => (v * count) / (count - 1));
    // What the update moved the running statistics towards (momentum 0.1 in PyTorch terms).
    const target = (after: number[], before: number[]) => after.map((a, c) => (a - 0.9 * before[c]!) / 0.1);
    expectClose(target(mean1!, mean0!), batchMean, 'running mean', 2e-3);
    // Biased and unbiased differ by count/(count − 1) = 72/71: 1.4 %.
    expectClose(target(var1!, var0!), unbiased, 'running variance', 2e-3);
    tf.dispose([x, input, mean, variance]);
  });
});
