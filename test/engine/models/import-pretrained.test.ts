import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fileSystemIO } from '../../../src/engine/checkpoint/fs-io-handler';
import { createModel } from '../../../src/engine/models/create-model';
import { importPretrained } from '../../../src/engine/models/import-pretrained';
import { lastBatchNorm, selectTrainable } from '../../../src/engine/models/layer-selection';
import { tempDir } from '../../helpers/fixtures';
import { useTestBackend } from '../../helpers/tf-backend';

beforeAll(useTestBackend);
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function folder(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

/** A Keras-style model with a fixed input size and global pooling, as users export them. */
function kerasStyleModel(head: 'pool' | 'flatten'): tfl.LayersModel {
  const input = tfl.input({ shape: [12, 12, 3] });
  let x = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization({ name: 'block_bn' }).apply(x) as tfl.SymbolicTensor;
  x = (head === 'pool' ? tfl.layers.globalAveragePooling2d({}) : tfl.layers.flatten()).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 3, activation: 'softmax', name: 'predictions' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

describe('importPretrained', () => {
  it('round-trips one of our models with identical outputs', async () => {
    const dir = folder();
    const model = createModel({ arch: 'resnet-mini', numClasses: 3, width: 0.25, seed: 4 });
    await model.save(fileSystemIO(dir));
    const { model: imported, classifierKept } = await importPretrained(dir, { numClasses: 3 });
    expect(classifierKept).toBe(true);
    const x = tf.randomUniform([2, 10, 10, 3], 0, 1, 'float32', 1);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (imported.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(selectTrainable(imported, 'last-bn+classifier')).toEqual(['classifier']);
    expect(lastBatchNorm(imported)!.name).toBe('s3b1_bn2');
  });

  it('relaxes a fixed input size, keeps a fitting head as linear logits, and replaces one that does not fit', async () => {
    const dir = folder();
    const source = kerasStyleModel('pool');
    await source.save(fileSystemIO(dir));
    const kept = await importPretrained(dir, { numClasses: 3 });
    expect(kept.classifierKept).toBe(true);
    const x = tf.randomUniform([1, 12, 12, 3], 0, 1, 'float32', 2);
    const probs = (source.predict(x) as tf.Tensor).dataSync();
    const logits = kept.model.predict(x) as tf.Tensor;
    expect(Array.from(tf.softmax(logits).dataSync()).map((p) => p.toFixed(5))).toEqual(
      Array.from(probs).map((p) => p.toFixed(5)),
    );
    expect((kept.model.predict(tf.zeros([1, 20, 20, 3])) as tf.Tensor).shape).toEqual([1, 3]);
    const replaced = await importPretrained(dir, { numClasses: 7 });
    expect(replaced.classifierKept).toBe(false);
    expect(replaced.model.outputs[0]!.shape).toEqual([null, 7]);
  });

  it('refuses a model without global pooling with a clear reason', async () => {
    const dir = folder();
    await kerasStyleModel('flatten').save(fileSystemIO(dir));
    await expect(importPretrained(dir, { numClasses: 3 })).rejects.toThrow(/no global pooling layer/);
  });

  it('says what is wrong when the folder is not a tfjs model', async () => {
    const dir = folder();
    await expect(importPretrained(join(dir, 'missing'), { numClasses: 2 })).rejects.toThrow(/Model folder not found/);
    await expect(importPretrained(dir, { numClasses: 2 })).rejects.toThrow(/has no model.json/);
    writeFileSync(join(dir, 'model.json'), '{"not": "a model"');
    await expect(importPretrained(dir, { numClasses: 2 })).rejects.toThrow(/not valid JSON/);
    writeFileSync(join(dir, 'model.json'), '{"format": "x"}');
    await expect(importPretrained(dir, { numClasses: 2 })).rejects.toThrow(/lacks "modelTopology"/);
  });

  it('names a missing, truncated or escaping weight file', async () => {
    const dir = folder();
    await kerasStyleModel('pool').save(fileSystemIO(dir));
    const weights = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), weights.subarray(0, 10));
    await expect(importPretrained(dir, { numClasses: 3 })).rejects.toThrow(/truncated or mismatched/);
    rmSync(join(dir, 'weights.bin'));
    await expect(importPretrained(dir, { numClasses: 3 })).rejects.toThrow(/"\.\/weights\.bin" .* is missing/);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['../../etc/passwd'];
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(importPretrained(dir, { numClasses: 3 })).rejects.toThrow(/outside the model folder/);
  });

  it('refuses a GraphModel', async () => {
    const dir = folder();
    writeFileSync(
      join(dir, 'model.json'),
      JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }),
    );
    await expect(importPretrained(dir, { numClasses: 2 })).rejects.toThrow(/GraphModel/);
  });
});
