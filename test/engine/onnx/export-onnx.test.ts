import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../../src/engine/models/create-model';
import { exportOnnx } from '../../../src/engine/onnx/export-onnx';
import { perturbBatchNorm } from '../../helpers/perturb-bn';
import { runOnnx, scaledError } from '../../helpers/ort';
import { useTestBackend } from '../../helpers/tf-backend';

beforeAll(useTestBackend);

/** Logits and pooled features agree with tfjs (cpu, unfolded layers) to this fraction of their largest magnitude. */
const TOLERANCE = 1e-4;

/** [batch, height, width]: odd, even and non-square sizes. */
const SIZES = [
  [1, 13, 13],
  [3, 16, 21],
  [2, 37, 40],
] as const;

function tfjsOutputs(model: tfl.LayersModel, x: tf.Tensor4D): { logits: tf.Tensor; pooled: tf.Tensor } {
  const features = tfl.model({
    inputs: model.inputs,
    outputs: [model.getLayer('pool').output as tfl.SymbolicTensor, model.outputs[0]!],
  });
  const [pooled, logits] = features.predict(x) as tf.Tensor[];
  return { logits: logits!, pooled: pooled! };
}

describe('exportOnnx', () => {
  it.each([
    ['resnet-mini', 0.5],
    ['resnet18', 0.25],
    ['resnet50', 0.25],
  ] as const)('%s gives tfjs logits and pooled features on ONNX Runtime at every input size (one file)', async (arch, width) => {
    const model = createModel({ arch, numClasses: 7, width, seed: 2 });
    perturbBatchNorm(model);
    const { bytes, outputs } = exportOnnx(model);
    expect(outputs).toEqual(['logits', 'pooled']);
    for (const [n, h, w] of SIZES) {
      const x = tf.randomNormal([n, h, w, 3], 0, 1, 'float32', h * w) as tf.Tensor4D;
      const ours = await runOnnx(bytes, x);
      const ref = tfjsOutputs(model, x);
      expect(ours['logits']!.shape).toEqual(ref.logits.shape);
      expect(ours['pooled']!.shape).toEqual(ref.pooled.shape);
      expect(scaledError(ours['logits']!, ref.logits)).toBeLessThan(TOLERANCE);
      expect(scaledError(ours['pooled']!, ref.pooled)).toBeLessThan(TOLERANCE);
      tf.dispose([x, ...Object.values(ours), ref.logits, ref.pooled]);
    }
    model.dispose();
  });

  it.each(['resnet18', 'resnet50'] as const)(
    'writes every padding of a PyTorch-style %s as explicit pads, never SAME_UPPER (which pads stride-2 windows after only)',
    (arch) => {
      const model = createModel({ arch, numClasses: 3, width: 0.25, seed: 1 });
      const { bytes } = exportOnnx(model);
      model.dispose();
      expect(Buffer.from(bytes).includes('auto_pad')).toBe(false);
      expect(Buffer.from(bytes).includes('SAME_UPPER')).toBe(false);
    },
  );

  it('folds explicit zero padding into convolutions and keeps zero-padded max pooling exact (PyTorch-style stem)', async () => {
    const input = tfl.input({ shape: [null, null, 3] });
    let y = tfl.layers
      .zeroPadding2d({
        padding: [
          [3, 2],
          [1, 3],
        ],
      })
      .apply(input) as tfl.SymbolicTensor;
    y = tfl.layers
      .conv2d({ filters: 4, kernelSize: 7, strides: 2, padding: 'valid', useBias: false })
      .apply(y) as tfl.SymbolicTensor;
    y = tfl.layers.batchNormalization({ epsilon: 1e-5 }).apply(y) as tfl.SymbolicTensor;
    y = tfl.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(y) as tfl.SymbolicTensor;
    y = tfl.layers
      .zeroPadding2d({
        padding: [
          [1, 0],
          [0, 2],
        ],
      })
      .apply(y) as tfl.SymbolicTensor;
    y = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid' }).apply(y) as tfl.SymbolicTensor;
    y = tfl.layers.conv2d({ filters: 6, kernelSize: 2, strides: 2, padding: 'same' }).apply(y) as tfl.SymbolicTensor;
    const pooled = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(y) as tfl.SymbolicTensor;
    const hidden = tfl.layers.dense({ units: 8, activation: 'relu' }).apply(pooled) as tfl.SymbolicTensor;
    const logits = tfl.layers.dense({ units: 3 }).apply(tfl.layers.dropout({ rate: 0.5 }).apply(hidden)) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: logits });
    perturbBatchNorm(model);
    const { bytes } = exportOnnx(model);
    for (const [n, h, w] of SIZES) {
      const x = tf.randomNormal([n, h, w, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
      const ours = await runOnnx(bytes, x);
      const ref = tfjsOutputs(model, x);
      expect(scaledError(ours['logits']!, ref.logits)).toBeLessThan(TOLERANCE);
      expect(scaledError(ours['pooled']!, ref.pooled)).toBeLessThan(TOLERANCE);
    }
  });

  it('returns named intermediate tensors as NHWC, and a trunk-only graph returns nothing else', async () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 4, width: 0.5, seed: 1 });
    perturbBatchNorm(model);
    const cut = ['s3b1_conv2', 's3b1_down_bn'];
    const full = exportOnnx(model, { layerOutputs: cut });
    const trunk = exportOnnx(model, { layerOutputs: cut, trunkOnly: true });
    expect(full.outputs).toEqual(['logits', 'pooled', ...cut.map((c) => full.layerOutputs[c])]);
    expect(trunk.outputs).toEqual(cut.map((c) => trunk.layerOutputs[c]));
    expect(trunk.bytes.length).toBeLessThan(full.bytes.length);
    const x = tf.randomNormal([2, 11, 14, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const sub = tfl.model({ inputs: model.inputs, outputs: cut.map((c) => model.getLayer(c).output as tfl.SymbolicTensor) });
    const refs = sub.predict(x) as tf.Tensor[];
    for (const out of [await runOnnx(full.bytes, x), await runOnnx(trunk.bytes, x)]) {
      cut.forEach((name, i) => {
        const ours = out[full.layerOutputs[name]!] ?? out[trunk.layerOutputs[name]!]!;
        expect(ours.shape).toEqual(refs[i]!.shape);
        expect(scaledError(ours, refs[i]!)).toBeLessThan(TOLERANCE);
      });
    }
  });

  it('declares a dynamic batch, height and width that ONNX Runtime reads back', async () => {
    const model = createModel({ arch: 'resnet-mini', numClasses: 3, width: 0.25, seed: 0 });
    const session = await ort.InferenceSession.create(exportOnnx(model).bytes);
    expect(session.inputNames).toEqual(['image']);
    expect(session.outputNames).toEqual(['logits', 'pooled']);
    const meta = session.inputMetadata[0] as { shape: readonly (number | string)[] };
    expect(meta.shape).toEqual(['batch', 'height', 'width', 3]);
    await session.release();
  });

  it('refuses a layer it cannot express, naming it', () => {
    const input = tfl.input({ shape: [null, null, 3] });
    const odd = tfl.layers.leakyReLU({ name: 'odd_one' }).apply(input) as tfl.SymbolicTensor;
    const pooled = tfl.layers.globalAveragePooling2d({}).apply(odd) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(pooled) as tfl.SymbolicTensor });
    expect(() => exportOnnx(model)).toThrow(/layer "odd_one" \(LeakyReLU\)/);
  });
});
