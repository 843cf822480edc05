import { z } from 'zod';
import { KTrainSuggestion, WorkflowSummary, type WorkflowStepName, type WorkflowStepOutputs } from '../../shared/api/workflows';
import type { SameType } from './same-type';
import { DocumentHistory, type StoredDocument } from './stored-document';

const Score = z.strictObject({ kTest: z.number().int(), top1: z.number() });

/**
 * `plan`: the workflow's K_train, given, suggested from the image sizes and the time budget, or
 * the imported model's (a choice added to the enum reads every row stored before it).
 */
const PlanV1 = z.strictObject({
  kTrain: z.number().int(),
  source: z.enum(['given', 'suggested', 'model']),
  suggestion: KTrainSuggestion.nullable(),
});

/** `train`, `finetune`: the run the step trained. */
const RunV1 = z.strictObject({ runId: z.number().int(), kTrain: z.number().int(), lastAcc: z.number().nullable() });

/** `sweep`, `adapt`, `sweep-finetuned`: the sweep the step ran and what it found. */
const SweepV1 = z.strictObject({
  sweepId: z.number().int(),
  runId: z.number().int(),
  kTests: z.array(z.number().int()),
  best: Score.nullable(),
  atKTrain: Score.nullable(),
});

/** `adapt` when the workflow asked for no Fréchet series. */
const Skipped = z.strictObject({ skipped: z.literal(true) });

/** `analyze` as the first workflows stored it: K_test* rounded only. */
const AnalyzeV1 = z.strictObject({
  kTrain: z.number().int(),
  closedFormAlpha: z.number(),
  monteCarloAlpha: z.number(),
  meanTrainOverTest: z.number(),
  fallbackRate: z.number(),
  kTestStar: z.number().int(),
  images: z.number().int(),
});

/** `analyze` with the unrounded K_test* and its rounding multiple (null for workflows analysed before they were kept). */
const AnalyzeV2 = AnalyzeV1.extend({ kTestStarExact: z.number().nullable(), multiple: z.number().int().nullable() });

/** What a finished workflow found (`workflows.summary`, and the summary step's output). */
export const workflowSummaryDocument = DocumentHistory.start('workflow summary', WorkflowSummary).done({ unmarkedUpTo: 1 });

const single = <S extends z.ZodType>(step: string, schema: S) =>
  DocumentHistory.start(`output of the ${step} step`, schema).done({ unmarkedUpTo: 1 });

/** Each workflow step's stored output (`workflow_steps.output`). */
export const stepOutputDocuments = {
  plan: single('plan', PlanV1),
  train: single('train', RunV1),
  analyze: DocumentHistory.start('output of the analyze step', AnalyzeV1)
    .then(AnalyzeV2, (v1) => ({ ...v1, kTestStarExact: null, multiple: null }))
    .done({ unmarkedUpTo: 2 }),
  sweep: single('sweep', SweepV1),
  adapt: single('adapt', z.union([SweepV1, Skipped])),
  finetune: single('finetune', RunV1),
  'sweep-finetuned': single('sweep-finetuned', SweepV1),
  summary: workflowSummaryDocument,
} satisfies Record<WorkflowStepName, StoredDocument<unknown>>;

/** The output a step stores, by step name. */
export type StepOutputOf<S extends WorkflowStepName> = ReturnType<(typeof stepOutputDocuments)[S]['read']>;

/** Each step's latest stored version is the output the contract types it as (a change to either needs a new version). */
const _latestAreTheContract: { [S in WorkflowStepName]: SameType<StepOutputOf<S>, WorkflowStepOutputs[S]> } = {
  plan: true,
  train: true,
  analyze: true,
  sweep: true,
  adapt: true,
  finetune: true,
  'sweep-finetuned': true,
  summary: true,
};
void _latestAreTheContract;
