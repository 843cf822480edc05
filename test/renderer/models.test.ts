import { describe, expect, it } from 'vitest';
import {
  DEFAULT_IMPORT_FORM,
  fileSize,
  importFormErrors,
  importRequest,
  predictRequest,
  toBase64,
} from '../../src/renderer/src/lib/model-forms';
import { DEFAULT_WORKFLOW_FORM, workflowFormErrors, workflowRequest } from '../../src/renderer/src/lib/workflow-form';
import { MAX_SENT_IMAGE_BYTES, ModelsState } from '../../src/renderer/src/state/models.svelte';
import type { Model, PredictResult } from '../../src/shared/api/models';
import { FakeClient } from './fake-client';

const model = (id: number, overrides: Partial<Model> = {}): Model => ({
  id,
  name: `m${id}`,
  arch: 'resnet50',
  width: 1,
  blocks: null,
  numClasses: 2,
  classNames: ['cat', 'dog'],
  preprocessing: {
    inputSize: 224,
    testInputSize: 288,
    cropPct: 0.95,
    mean: [0.5, 0.5, 0.5],
    std: [0.2, 0.2, 0.2],
    interpolation: 'bicubic',
    source: 'config',
  },
  file: '/w/m.safetensors',
  sha256: 'ab',
  format: 'safetensors',
  bytes: 1,
  weightsAt: '',
  strippedPrefix: '',
  params: 1,
  importSeconds: 1,
  recipeRunId: null,
  externalTraining: null,
  createdAt: '',
  ...overrides,
});

const file = (name: string, bytes: number[], type = 'image/png') => ({
  name,
  type,
  size: bytes.length,
  arrayBuffer: async () => Uint8Array.from(bytes).buffer,
});

describe('model forms', () => {
  it('asks for a file and leaves what is empty to the config next to it', () => {
    expect(importFormErrors(DEFAULT_IMPORT_FORM)).toEqual({});
    expect(new ModelsState(new FakeClient()).canImport).toBe(false);
    expect(fileSize(5000)).toBe('5 KB');
    expect(fileSize(102_000_000)).toBe('97.3 MB');
    expect(importFormErrors({ ...DEFAULT_IMPORT_FORM, file: 'x', kTrain: 0, cropPct: 1.5 })).toMatchObject({
      kTrain: expect.any(String),
      cropPct: expect.any(String),
    });
    expect(importRequest({ ...DEFAULT_IMPORT_FORM, file: ' /w/a.pth ', arch: 'resnet18', kTrain: 160 })).toEqual({
      file: '/w/a.pth',
      arch: 'resnet18',
      kTrain: 160,
    });
  });

  it('sends the chosen images with the prediction, K_test only when typed', () => {
    expect(toBase64(Uint8Array.from([104, 105]))).toBe('aGk=');
    expect(predictRequest(3, [{ name: 'a.png', dataBase64: 'aGk=', preview: 'data:' }], { kTest: null, cropPct: 0.9 })).toEqual({
      model: { modelId: 3 },
      images: [{ name: 'a.png', dataBase64: 'aGk=' }],
      topK: 5,
      cropPct: 0.9,
    });
  });

  it('starts a workflow from a model instead of an architecture, once one is chosen', () => {
    const form = { ...DEFAULT_WORKFLOW_FORM, datasetId: 1, start: 'model' as const };
    expect(workflowFormErrors(form).modelId).toMatch(/choose an imported model/);
    const request = workflowRequest({ ...form, modelId: 4 });
    expect(request).toMatchObject({ modelId: 4, datasetId: 1 });
    expect(request).not.toHaveProperty('arch');
    expect(workflowRequest({ ...form, start: 'scratch', modelId: 4 })).not.toHaveProperty('modelId');
  });
});

describe('ModelsState', () => {
  it('lists models live, imports, offers the new model to Predict and removes', async () => {
    const client = new FakeClient()
      .handle('models.list', () => [model(1)])
      .handle('models.import', () => model(2))
      .handle('models.remove', () => ({ removed: true }));
    const state = new ModelsState(client);
    const stop = state.listen();
    await state.load();
    expect(state.predictModelId).toBe(1);
    state.form.file = '/w/two.safetensors';
    expect(await state.importModel()).toMatchObject({ id: 2 });
    expect(state.items.map((m) => m.id)).toEqual([2, 1]);
    expect(state.predictModelId).toBe(2);
    expect(state.form.file).toBe('');
    client.emit('model.removed', { id: 2 });
    expect(state.items.map((m) => m.id)).toEqual([1]);
    expect(state.predictModelId).toBe(1);
    client.emit('model.updated', model(3));
    await state.remove(1);
    expect(state.items.map((m) => m.id)).toEqual([3]);
    stop();
    expect(client.listenerCount('model.updated')).toBe(0);
  });

  it('keeps a refused import in the form with the reason', async () => {
    const client = new FakeClient()
      .handle('models.list', () => [])
      .handle('models.import', () => {
        throw new Error('These weights do not fit resnet50: 3 missing (fc.bias, …)');
      });
    const state = new ModelsState(client);
    state.form.file = '/w/bad.pth';
    expect(await state.importModel()).toBeNull();
    expect(state.error).toMatch(/do not fit resnet50/);
    expect(state.form.file).toBe('/w/bad.pth');
  });

  it('takes dropped images, refuses what is not an image or too large, and predicts them', async () => {
    const result: PredictResult = { kTest: 288, cropPct: 0.95, backend: 'wasm', predictions: [] };
    const client = new FakeClient().handle('models.list', () => [model(1)]).handle('models.predict', () => result);
    const state = new ModelsState(client);
    await state.load();
    await state.addFiles([
      file('a.png', [1, 2, 3]),
      file('notes.txt', [1], 'text/plain'),
      file('huge.jpg', new Array(MAX_SENT_IMAGE_BYTES + 1).fill(0), 'image/jpeg'),
    ]);
    expect(state.images.map((i) => i.name)).toEqual(['a.png']);
    expect(state.predictError).toMatch(/notes\.txt \(not an image\), huge\.jpg \(over 700 KB\)/);
    state.kTest = 320;
    await state.predict();
    expect(client.callsTo('models.predict')).toEqual([
      { model: { modelId: 1 }, images: [{ name: 'a.png', dataBase64: 'AQID' }], topK: 5, kTest: 320 },
    ]);
    expect(state.result).toEqual(result);
    state.clearImages();
    expect(state.canPredict).toBe(false);
  });

  it('sends large images in several requests (web mode takes 1 MB each) and joins the predictions in order', async () => {
    const row = (path: string) => ({ path, logits: [0, 1], top: [{ index: 1, className: 'dog', probability: 0.73 }] });
    const client = new FakeClient()
      .handle('models.list', () => [model(1)])
      .handle('models.predict', (r) => ({
        kTest: 288,
        cropPct: 0.95,
        backend: 'wasm',
        predictions: r.images!.map((i) => row(i.name)),
      }));
    const state = new ModelsState(client);
    await state.load();
    const big = new Array(600 * 1024).fill(7);
    await state.addFiles([file('a.png', big), file('b.png', big), file('c.png', [1]), file('d.png', big)]);
    await state.predict();
    expect(
      (client.callsTo('models.predict') as { images: { name: string }[] }[]).map((r) => r.images.map((i) => i.name)),
    ).toEqual([['a.png'], ['b.png', 'c.png'], ['d.png']]);
    expect(state.result!.predictions.map((p) => p.path)).toEqual(['a.png', 'b.png', 'c.png', 'd.png']);
  });
});
