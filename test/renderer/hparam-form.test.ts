import { describe, expect, it } from 'vitest';
import { FinetuneRequest } from '../../src/shared/api/finetune';
import { RunConfig } from '../../src/shared/api/runs';
import { WorkflowRequest } from '../../src/shared/api/workflows';
import { metaOf } from '../../src/shared/hparams/meta';
import { HParams } from '../../src/shared/hparams/train';
import {
  checkForm,
  fieldLabel,
  fieldMeta,
  fieldSchema,
  formDefaults,
  formRequest,
  parseWholeList,
  widgetOf,
} from '../../src/renderer/src/lib/hparam-form';
import { RUN_FORM_FIELDS } from '../../src/renderer/src/lib/run-form';

const FT = { kTest: 'kTest', epochs: 'epochs', mode: 'mode' };

describe('form fields from the hyperparameter schema', () => {
  it('offers every training hyperparameter in the Train form except those marked otherwise', () => {
    const hidden = Object.keys(HParams.shape).filter((k) => metaOf(HParams.shape[k as keyof typeof HParams.shape])?.inForm === false);
    expect(hidden).toEqual(['blocks']);
    for (const key of Object.keys(HParams.shape)) expect(key in RUN_FORM_FIELDS, key).toBe(!hidden.includes(key));
  });

  it('labels a field with its unit and a nested one with its parent, and picks its control from the schema', () => {
    expect(fieldLabel(fieldMeta(RunConfig, 'kTrain'))).toBe('K_train (px)');
    expect(fieldLabel(fieldMeta(WorkflowRequest, 'finetune.epochs'))).toBe('Fine-tune epochs');
    const widget = (path: string) => widgetOf(fieldSchema(RunConfig, path), fieldMeta(RunConfig, path));
    expect(['kTrain', 'scale', 'arch', 'hflip', 'milestones', 'name'].map(widget)).toEqual(['number', 'pair', 'select', 'checkbox', 'list', 'text']);
  });

  it('starts from the schema defaults and sends only what is filled in, nested as the schema is', () => {
    const fields = { budgetMinutes: 'budgetMinutes', kTrain: 'kTrain', ftEpochs: 'finetune.epochs', kTests: 'kTests' };
    const values = formDefaults(WorkflowRequest, fields);
    expect(values).toEqual({ budgetMinutes: 30, kTrain: null, ftEpochs: 2, kTests: '' });
    expect(formRequest(WorkflowRequest, fields, { ...values, kTests: '12 8' })).toEqual({
      budgetMinutes: 30,
      finetune: { epochs: 2 },
      kTests: [8, 12],
    });
  });

  it('names each bad field with a short sentence, and blank ones that would silently fall back to a default', () => {
    const check = checkForm(FinetuneRequest, FT, { kTest: 2000, epochs: null, mode: 'full' }, { parentRunId: 4 });
    expect(check).toEqual({ errors: { kTest: 'Must be ≤ 1024', epochs: 'Enter a value' }, other: [], request: null });
    const ok = checkForm(FinetuneRequest, FT, { kTest: 12, epochs: 1, mode: 'full' }, { parentRunId: 4 });
    expect(ok.request).toEqual({ parentRunId: 4, kTest: 12, epochs: 1, mode: 'full' });
    expect(checkForm(FinetuneRequest, FT, { kTest: 12, epochs: 1, mode: 'full' }, { parentRunId: undefined }).errors).toEqual({
      parentRunId: 'Enter a value',
    });
  });

  it('reads typed lists against the field’s own range and length', () => {
    expect(parseWholeList('16, 8;8 12', WorkflowRequest.shape.kTests)).toEqual({ values: [8, 12, 16], error: null });
    expect(parseWholeList('8, x', WorkflowRequest.shape.kTests).error).toBe('“x” is not a size from 1 to 1024');
    expect(parseWholeList('3, 2000', RunConfig.shape.milestones).error).toBe('“2000” is not a whole number from 1 to 1000');
    expect(parseWholeList(Array.from({ length: 65 }, (_, i) => i + 1).join(' '), WorkflowRequest.shape.kTests).error).toBe(
      'at most 64 test sizes',
    );
  });
});
