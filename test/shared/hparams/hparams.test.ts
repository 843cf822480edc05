import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ApparentSizeRequest } from '../../../src/shared/api/analysis';
import { cropsApi } from '../../../src/shared/api/crops';
import { datasetsApi } from '../../../src/shared/api/datasets';
import { FinetuneRequest } from '../../../src/shared/api/finetune';
import { RunConfig } from '../../../src/shared/api/runs';
import { SweepRequest } from '../../../src/shared/api/sweeps';
import { SuggestRequest, WORKFLOW_TRAIN_KEYS, WorkflowRequest } from '../../../src/shared/api/workflows';
import { FinetuneHParams } from '../../../src/shared/hparams/finetune';
import { defaultOf, numberBounds } from '../../../src/shared/hparams/introspect';
import { metaOf } from '../../../src/shared/hparams/meta';
import { SweepHParams } from '../../../src/shared/hparams/sweep';
import { HParams } from '../../../src/shared/hparams/train';
import { WorkflowHParams } from '../../../src/shared/hparams/workflow';

const GROUPS = { HParams, FinetuneHParams, SweepHParams, WorkflowHParams } as Record<string, z.ZodObject>;

describe('HParams metadata', () => {
  it.each(Object.entries(GROUPS))('gives every field of %s a label and a help sentence', (_name, group) => {
    for (const [key, field] of Object.entries(group.shape)) {
      const meta = metaOf(field as z.ZodType);
      expect(meta, key).not.toBeNull();
      expect(meta!.help, key).toMatch(/^[A-Za-z].{5,}/);
    }
  });

  it('lets a request override a field’s words without losing the rest (workflow K_train is optional)', () => {
    expect(metaOf(WorkflowRequest.shape.kTrain)).toMatchObject({ label: 'K_train', unit: 'px', hint: 'empty: suggested' });
    expect(metaOf(HParams.shape.kTrain)).toMatchObject({ hint: 'train crop side' });
    expect(WorkflowRequest.shape.kTrain.safeParse(undefined).success).toBe(true);
    expect(RunConfig.parse({ datasetId: 1 }).kTrain).toBe(32);
  });

  it('reads ranges and defaults from the schema itself', () => {
    expect(numberBounds(HParams.shape.kTrain)).toEqual({ min: 1, max: 1024, minInclusive: true, maxInclusive: true, integer: true });
    expect(numberBounds(HParams.shape.cropPct)).toMatchObject({ min: 0, minInclusive: false, max: 1, integer: false });
    expect(numberBounds(HParams.shape.momentum)).toMatchObject({ max: 1, maxInclusive: false });
    expect(defaultOf(HParams.shape.scale)).toEqual([0.08, 1]);
    expect(defaultOf(FinetuneRequest.shape.epochs)).toBe(2);
    expect(defaultOf(HParams.shape.kTest)).toBeUndefined();
  });
});

describe('one definition per hyperparameter', () => {
  it('gives the workflow the same training defaults as a run', () => {
    const run = RunConfig.parse({ datasetId: 1 });
    const flow = WorkflowRequest.parse({ datasetId: 1 }) as Record<string, unknown>;
    for (const key of WORKFLOW_TRAIN_KEYS) expect(flow[key], key).toEqual(run[key]);
    expect(SuggestRequest.parse({ datasetId: 1 })).toMatchObject({ epochs: run.epochs, batchSize: run.batchSize, cropPct: run.cropPct });
  });

  it('gives fine-tunes, the workflow’s fine-tune and the plan the same fine-tune defaults', () => {
    const alone = FinetuneRequest.parse({ parentRunId: 1, kTest: 32 });
    expect(WorkflowRequest.parse({ datasetId: 1 }).finetune).toEqual({ mode: alone.mode, augment: alone.augment, epochs: alone.epochs });
    expect(SuggestRequest.parse({ datasetId: 1 }).finetuneEpochs).toBe(alone.epochs);
  });

  it('accepts the same seeds everywhere: any 32-bit unsigned value', () => {
    const seeded: [string, (seed: number) => unknown][] = [
      ['runs.start', (seed) => ({ datasetId: 1, seed })],
      ['finetune', (seed) => ({ parentRunId: 1, kTest: 8, seed })],
      ['workflow', (seed) => ({ datasetId: 1, seed })],
      ['crops.sample', (seed) => ({ width: 10, height: 10, seed })],
      ['analysis', (seed) => ({ kTrain: 8, source: { kind: 'size', width: 10, height: 10 }, seed })],
      ['split', (seed) => ({ id: 1, valFraction: 0.2, seed })],
    ];
    const schemas: Record<string, z.ZodType> = {
      'runs.start': RunConfig,
      finetune: FinetuneRequest,
      workflow: WorkflowRequest,
      'crops.sample': cropsApi['crops.sample'].request,
      analysis: ApparentSizeRequest,
      split: datasetsApi['datasets.setSplit'].request,
    };
    for (const [name, body] of seeded) {
      expect(schemas[name]!.safeParse(body(2 ** 32 - 1)).success, name).toBe(true);
      expect(schemas[name]!.safeParse(body(2 ** 32)).success, name).toBe(false);
      expect(schemas[name]!.safeParse(body(-1)).success, name).toBe(false);
    }
  });

  it('refuses a warm-up longer than training in runs and workflows alike', () => {
    for (const schema of [RunConfig, WorkflowRequest] as z.ZodType[]) {
      const r = schema.safeParse({ datasetId: 1, epochs: 2, warmupEpochs: 3 });
      expect(r.error?.issues[0]).toMatchObject({ path: ['warmupEpochs'], message: 'Warm-up cannot be longer than training' });
    }
  });

  it('sweeps take the workflow’s K_test list field', () => {
    expect(SweepRequest.shape.kTests.safeParse([]).error?.issues[0]?.message).toBe('give at least one K_test');
    expect(WorkflowRequest.shape.kTests.safeParse([]).error?.issues[0]?.message).toBe('give at least one K_test');
  });
});
