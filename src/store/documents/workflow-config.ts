import { z } from 'zod';
import { WorkflowRequest, type WorkflowConfig } from '../../shared/api/workflows';
import { DocumentHistory } from './stored-document';
import type { SameType } from './same-type';

// Open-ended choices follow the contract; ranges are the request's business.
const f = WorkflowRequest.shape;
const pair = z.tuple([z.number(), z.number()]);

/** The first workflows (schema 5). */
const V1 = z.strictObject({
  datasetId: z.number().int(),
  name: z.string().optional(),
  kTrain: z.number().int().optional(),
  budgetMinutes: z.number(),
  arch: f.arch.unwrap(),
  width: z.number(),
  blocks: z.tuple([z.number().int(), z.number().int(), z.number().int()]).optional(),
  epochs: z.number().int(),
  batchSize: z.number().int(),
  lr: z.number(),
  warmupEpochs: z.number(),
  cropPct: z.number(),
  scale: pair,
  ratio: pair,
  normalize: f.normalize.unwrap(),
  seed: z.number().int(),
  kTests: z.array(z.number().int()).optional(),
  adapt: z.boolean(),
  finetune: z.strictObject({
    mode: f.finetune.unwrap().shape.mode.unwrap(),
    augment: f.finetune.unwrap().shape.augment.unwrap(),
    epochs: z.number().int(),
    lr: z.number().optional(),
  }),
  backend: f.backend.unwrap().optional(),
});

/** Workflows may start from an imported model instead of training from scratch. */
const V2 = V1.extend({ modelId: z.number().int().optional() });

/** A workflow's frozen request (`workflows.config`). */
export const workflowConfigDocument = DocumentHistory.start('workflow configuration', V1)
  .then(V2, (v1) => v1)
  .done({ unmarkedUpTo: 1 });

const _latestIsTheContract: SameType<z.output<typeof V2>, WorkflowConfig> = true;
void _latestIsTheContract;
