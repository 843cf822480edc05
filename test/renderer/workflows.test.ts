import { describe, expect, it } from 'vitest';
import {
  kTestCandidates,
  startBlockedReason,
  workflowFormErrors,
  workflowRequest,
  DEFAULT_WORKFLOW_FORM,
} from '../../src/renderer/src/lib/workflow-form';
import { WorkflowsState } from '../../src/renderer/src/state/workflows.svelte';
import type { KTrainSuggestion, Workflow } from '../../src/shared/api/workflows';
import { FakeClient } from './fake-client';

const suggestion: KTrainSuggestion = {
  kTrain: 24,
  epochs: 20,
  maxK: 56,
  medianShortSide: 64,
  estimates: [{ k: 24, seconds: 300 }],
  budgetSeconds: 600,
  fits: true,
  cost: { a: 0.001, b: 1e-6, source: 'probe', samples: [] },
};

const workflow = (overrides: Partial<Workflow> = {}): Workflow => ({
  id: 3,
  name: 'w',
  datasetId: 1,
  status: 'running',
  config: {} as Workflow['config'],
  steps: [],
  currentStep: 'train',
  summary: null,
  error: null,
  createdAt: '',
  finishedAt: null,
  ...overrides,
});

describe('workflow form', () => {
  it('names each bad field and leaves defaults to the lab in the request', () => {
    expect(workflowFormErrors(DEFAULT_WORKFLOW_FORM).datasetId).toBe('Choose a dataset');
    const errors = workflowFormErrors({
      ...DEFAULT_WORKFLOW_FORM,
      datasetId: 1,
      budgetMinutes: 0,
      kTrain: 2.5,
      kTestText: '8 y',
    });
    expect(Object.keys(errors).sort()).toEqual(['budgetMinutes', 'kTestText', 'kTrain']);
    const request = workflowRequest({ ...DEFAULT_WORKFLOW_FORM, datasetId: 1, kTestText: '12, 8' });
    expect(request).not.toHaveProperty('kTrain');
    expect(request).not.toHaveProperty('name');
    expect(request.kTests).toEqual([8, 12]);
    expect(request.finetune).toEqual({ mode: 'last-bn+classifier', candidates: 3 });
    expect(request).not.toHaveProperty('epochs');
    expect(request).not.toHaveProperty('backend');
    expect(workflowRequest({ ...DEFAULT_WORKFLOW_FORM, datasetId: 1, backend: 'webgpu' }).backend).toBe('webgpu');
  });

  it('blocks Start, with the budget that would fit, when the plan says the budget is too small to learn anything', () => {
    const tooSmall = { ...suggestion, fits: false, epochs: 10, estimates: [{ k: 16, seconds: 330 }], budgetSeconds: 60 };
    const form = { ...DEFAULT_WORKFLOW_FORM, datasetId: 1, budgetMinutes: 1 };
    expect(startBlockedReason(form, tooSmall)).toMatch(/needs at least 6 minutes at K_train 16/);
    expect(startBlockedReason(form, suggestion)).toBeNull();
    expect(startBlockedReason(form, null)).toBeNull();
    // The user's own epochs or K_train run whatever the budget; so does a workflow from a model.
    expect(startBlockedReason({ ...form, epochs: 2 }, tooSmall)).toBeNull();
    expect(startBlockedReason({ ...form, kTrain: 8 }, tooSmall)).toBeNull();
    expect(startBlockedReason({ ...form, start: 'model', modelId: 2 }, tooSmall)).toBeNull();
  });

  it('shows the typed K_test list, else the default grid around K_train', () => {
    expect(kTestCandidates({ kTestText: '8, 6' }, 8)).toEqual([6, 8]);
    expect(kTestCandidates({ kTestText: '' }, 8)).toContain(16);
    expect(kTestCandidates({ kTestText: '' }, 8)).toContain(4);
  });
});

describe('WorkflowsState', () => {
  it('forgets the plan when a field it depends on changes', async () => {
    const client = new FakeClient().handle('workflows.suggest', () => suggestion);
    const state = new WorkflowsState(client);
    state.offerDatasets([4, 5]);
    expect(state.form.datasetId).toBe(4);
    await state.suggest();
    expect(state.suggestion?.kTrain).toBe(24);
    state.form.kTestText = '8';
    expect(state.suggestion).not.toBeNull();
    state.form.budgetMinutes = 60;
    expect(state.suggestion).toBeNull();
  });

  it('asks for the plan of the very workflow Start would start, and forgets it when its fine-tune mode or Fréchet series changes', async () => {
    const client = new FakeClient().handle('workflows.suggest', () => suggestion).handle('workflows.start', () => workflow());
    const state = new WorkflowsState(client);
    state.offerDatasets([4]);
    state.form.finetuneMode = 'classifier';
    await state.suggest();
    await state.start();
    expect(client.callsTo('workflows.suggest')).toEqual(client.callsTo('workflows.start'));
    expect(client.callsTo('workflows.suggest')[0]).toMatchObject({ datasetId: 4, finetune: { mode: 'classifier' } });
    expect(state.suggestion).not.toBeNull();
    state.form.adapt = !state.form.adapt;
    expect(state.suggestion).toBeNull();
    state.form.adapt = !state.form.adapt;
    state.form.finetuneMode = 'full';
    expect(state.suggestion).toBeNull();
  });

  it('says why Start is blocked once its plan is over budget, and forgets it when the budget changes', async () => {
    const client = new FakeClient().handle('workflows.suggest', () => ({
      ...suggestion,
      fits: false,
      epochs: 10,
      estimates: [{ k: 16, seconds: 200 }],
      budgetSeconds: 60,
    }));
    const state = new WorkflowsState(client);
    state.offerDatasets([4]);
    state.form.budgetMinutes = 1;
    expect(state.startBlocked).toBeNull();
    await state.suggest();
    expect(state.startBlocked).toMatch(/needs at least 4 minutes at K_train 16 \(10 epochs\)/);
    state.form.budgetMinutes = 4;
    expect(state.startBlocked).toBeNull();
  });

  it('keeps workflows current from events and shows progress only while one runs', async () => {
    const client = new FakeClient()
      .handle('workflows.list', () => [])
      .handle('workflows.cancel', () => workflow({ status: 'cancelled' }));
    const state = new WorkflowsState(client);
    state.listen();
    await state.load();
    client.emit('workflow.updated', workflow());
    client.emit('workflow.progress', { workflowId: 3, step: 'train', position: 1, steps: 8, fraction: 0.5, detail: 'epoch 1' });
    expect(state.progressOf(3)?.fraction).toBe(0.5);
    await state.cancel(3);
    expect(state.get(3)?.status).toBe('cancelled');
    expect(state.progressOf(3)).toBeNull();
  });

  it('keeps a refused start as the form’s error', async () => {
    const client = new FakeClient().handle('workflows.start', () => {
      throw new Error('datasetId: No dataset with id 4');
    });
    const state = new WorkflowsState(client);
    state.offerDatasets([4]);
    expect(await state.start()).toBeNull();
    expect(state.formError).toMatch(/No dataset/);
    expect(state.error).toBeNull();
  });

  it('resumes as is, or on another backend when its own does not load here', async () => {
    const client = new FakeClient().handle('workflows.resume', ({ id }) => workflow({ id }));
    const state = new WorkflowsState(client);
    await state.resume(3);
    await state.resume(3, 'webgpu');
    expect(client.callsTo('workflows.resume')).toEqual([{ id: 3 }, { id: 3, backend: 'webgpu' }]);
  });
});
