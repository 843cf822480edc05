import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/shared/errors';
import { defaultRunFormValues, toRunRequest, validateRunForm } from '../../src/renderer/src/lib/run-form';
import { TrainFormState } from '../../src/renderer/src/state/train-form.svelte';
import { FakeClient } from './fake-client';
import { makeRun } from './fixtures';

describe('run form validation (RunConfig schema)', () => {
  it('starts from the schema defaults and is valid once a dataset is chosen', () => {
    const values = defaultRunFormValues(3);
    expect(values).toMatchObject({ kTrain: 32, epochs: 10, batchSize: 32, lr: 0.1, schedule: 'cosine', backend: '' });
    expect(validateRunForm(values)).toMatchObject({ errors: {}, other: [] });
    expect(validateRunForm(values).request).toMatchObject({ datasetId: 3, scale: [0.08, 1] });
  });

  it('names each bad field with a short message', () => {
    const values = {
      ...defaultRunFormValues(1),
      kTrain: 0,
      batchSize: 2.5,
      epochs: null,
      scale: [0.9, 0.1],
      warmupEpochs: 50,
      lr: 11,
    };
    const { errors, request } = validateRunForm(values);
    expect(request).toBeNull();
    expect(errors).toEqual({
      kTrain: 'Must be ≥ 1',
      batchSize: 'Must be a whole number',
      epochs: 'Enter a value',
      scale: 'the minimum must not exceed the maximum',
      lr: 'Must be ≤ 10',
    });
  });

  it('reports a missing dataset as a choice to make, and leaves the backend out when automatic', () => {
    expect(validateRunForm(defaultRunFormValues()).errors.datasetId).toBe('Choose a dataset');
    expect(toRunRequest(defaultRunFormValues(1))).not.toHaveProperty('backend');
    expect(toRunRequest({ ...defaultRunFormValues(1), backend: 'wasm', name: '  mine ' })).toMatchObject({
      backend: 'wasm',
      name: 'mine',
    });
  });

  it('keeps decoded images by default and sends the choice to turn that off', () => {
    expect(toRunRequest(defaultRunFormValues(1))).toMatchObject({ decodeCache: true });
    expect(validateRunForm({ ...defaultRunFormValues(1), decodeCache: false }).request).toMatchObject({ decodeCache: false });
  });
});

describe('TrainFormState', () => {
  it('hides "choose a dataset" until the user tries to start, and starts nothing while invalid', async () => {
    const client = new FakeClient();
    const form = new TrainFormState(client);
    expect(form.errorOf('datasetId')).toBeNull();
    expect(await form.start()).toBeNull();
    expect(form.errorOf('datasetId')).toBe('Choose a dataset');
    expect(client.calls).toHaveLength(0);
  });

  it('re-validates as values change and starts the run with the parsed request', async () => {
    const client = new FakeClient().handle('runs.start', () => makeRun({ id: 9, status: 'running' }));
    const form = new TrainFormState(client);
    form.offerDatasets([2, 5]);
    expect(form.values.datasetId).toBe(5);
    form.values.kTrain = 2000;
    expect(form.errorOf('kTrain')).toBe('Must be ≤ 1024');
    form.values.kTrain = 16;
    expect(form.valid).toBe(true);
    expect((await form.start())?.id).toBe(9);
    expect(client.callsTo('runs.start')[0]).toMatchObject({ datasetId: 5, kTrain: 16 });
  });

  it('puts a lab refusal that names a field under that field until it is edited', async () => {
    const client = new FakeClient().handle('runs.start', () => {
      throw new LabError({
        name: 'UserError',
        code: 'Invalid',
        message: 'Only 3 training images, fewer than one batch of 32',
        field: 'batchSize',
      });
    });
    const form = new TrainFormState(client);
    form.offerDatasets([1]);
    expect(await form.start()).toBeNull();
    expect(form.errorOf('batchSize')).toBe('Only 3 training images, fewer than one batch of 32');
    expect(form.formErrors).toEqual([]);
    form.edited('batchSize');
    expect(form.errorOf('batchSize')).toBeNull();
  });
});
