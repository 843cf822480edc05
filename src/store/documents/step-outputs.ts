import { z } from 'zod';
import { PairedGainCounts } from '../../shared/api/sweeps';
import {
  KTrainSuggestion,
  WorkflowSummary,
  workflowSummaryWith,
  type WorkflowStepName,
  type WorkflowStepOutputs,
} from '../../shared/api/workflows';
import { gainInterval } from '../../shared/gain-interval';
import type { SameType } from './same-type';
import { DocumentHistory, type StoredDocument } from './stored-document';
import { WorkflowSummaryV1 } from './workflow-summary-v1';

const Score = z.strictObject({ kTest: z.number().int(), top1: z.number() });

/** The suggestion as plans stored it before the per-step estimate: no steps, plan time, decoding or job set-up. */
const SuggestionV1 = KTrainSuggestion.omit({ steps: true, planSeconds: true }).extend({
  cost: KTrainSuggestion.shape.cost.omit({ decodeSeconds: true, jobSeconds: true, passes: true }),
});

/**
 * `plan`: the workflow's K_train, given, suggested from the image sizes and the time budget, or
 * the imported model's (a choice added to the enum reads every row stored before it).
 */
const PlanV1 = z.strictObject({
  kTrain: z.number().int(),
  source: z.enum(['given', 'suggested', 'model']),
  suggestion: SuggestionV1.omit({ epochs: true }).nullable(),
});

/**
 * `plan` with the epochs and warm-up the training uses (given, or picked for ~2 500 steps); the
 * suggestion records the epochs its estimate assumed (absent in plans stored before).
 */
const PlanV2 = PlanV1.extend({
  epochs: z.number().int().optional(),
  warmupEpochs: z.number().optional(),
  suggestion: SuggestionV1.partial({ epochs: true }).nullable(),
});

/** `plan` whose suggestion keeps its per-step estimate and what it measured besides t(K) (src/core/k-train-choice.ts). */
const PlanV3 = PlanV2.extend({
  suggestion: KTrainSuggestion.partial({ epochs: true })
    .extend({ cost: KTrainSuggestion.shape.cost.omit({ passes: true }) })
    .nullable(),
});

/** `plan` whose suggestion's cost keeps the sweep pass and fine-tune step the probes timed (absent: ratios to t(K)). */
const PlanV4 = PlanV2.extend({ suggestion: KTrainSuggestion.partial({ epochs: true }).nullable() });

/** `train`, `finetune`, `train-large`: the run the step trained. */
const RunV1 = z.strictObject({ runId: z.number().int(), kTrain: z.number().int(), lastAcc: z.number().nullable() });

/** `finetune` searching several K_test: every candidate tried (its run and the sweep that measured it) and the one picked. */
const FinetuneV2 = RunV1.extend({
  candidates: z.array(z.strictObject({ kTest: z.number().int(), runId: z.number().int(), sweepId: z.number().int() })).optional(),
});

/** `sweep`, `adapt`, `sweep-finetuned`, `sweep-large`: the sweep the step ran and what it found. */
const SweepV1 = z.strictObject({
  sweepId: z.number().int(),
  runId: z.number().int(),
  kTests: z.array(z.number().int()),
  best: Score.nullable(),
  atKTrain: Score.nullable(),
});

/** `adapt` when the workflow asked for no Fréchet series; the payoff steps when it asked for no payoff experiment. */
const Skipped = z.strictObject({ skipped: z.literal(true) });

/** `finetune-large`: the small model fine-tuned at the large K_train. */
const FinetuneLargeV1 = z.strictObject({ kLarge: z.number().int(), runId: z.number().int() });

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

/** Version 2 of the summary: its paired gains without their interval. */
const WorkflowSummaryV2 = workflowSummaryWith(PairedGainCounts);
type WorkflowSummaryV2 = z.infer<typeof WorkflowSummaryV2>;

const withInterval = (g: PairedGainCounts | null) => g && { ...g, ci95: gainInterval(g) };

/** A version 2 summary with each gain's interval, which follows from its counts. */
function addGainIntervals(v2: WorkflowSummaryV2): z.input<typeof WorkflowSummary> {
  const { gains, payoff } = v2;
  return {
    ...v2,
    gains: gains && {
      testLarger: withInterval(gains.testLarger),
      frechet: withInterval(gains.frechet),
      finetune: withInterval(gains.finetune),
      total: withInterval(gains.total),
    },
    payoff: payoff && {
      ...payoff,
      smallFinetunedVsLarge: withInterval(payoff.smallFinetunedVsLarge),
      smallTestedVsLarge: withInterval(payoff.smallTestedVsLarge),
    },
  };
}

/**
 * What a finished workflow found (`workflows.summary`, and the summary step's output). Version 2
 * adds, all optional, the image sets, intervals, paired tests, fine-tune candidates, payoff and
 * warnings; a version 1 summary is one without them (read as picked and reported on all images).
 * Version 3 gives every paired gain its 95 % interval.
 */
export const workflowSummaryDocument = DocumentHistory.start('workflow summary', WorkflowSummaryV1)
  .then(WorkflowSummaryV2, (v1) => v1)
  .then(WorkflowSummary, addGainIntervals)
  .done({ unmarkedUpTo: 1 });

const single = <S extends z.ZodType>(step: string, schema: S) =>
  DocumentHistory.start(`output of the ${step} step`, schema).done({ unmarkedUpTo: 1 });

/** Each workflow step's stored output (`workflow_steps.output`). */
export const stepOutputDocuments = {
  plan: DocumentHistory.start('output of the plan step', PlanV1)
    .then(PlanV2, (v1) => v1)
    .then(PlanV3, (v2) => v2)
    // Plans stored before timed no passes: their estimates used the ratios.
    .then(PlanV4, (v3) => v3)
    .done({ unmarkedUpTo: 1 }),
  train: single('train', RunV1),
  analyze: DocumentHistory.start('output of the analyze step', AnalyzeV1)
    .then(AnalyzeV2, (v1) => ({ ...v1, kTestStarExact: null, multiple: null }))
    .done({ unmarkedUpTo: 2 }),
  sweep: single('sweep', SweepV1),
  adapt: single('adapt', z.union([SweepV1, Skipped])),
  // Workflows that fine-tuned once stored no candidates: their one fine-tune is the run itself.
  finetune: DocumentHistory.start('output of the finetune step', RunV1)
    .then(FinetuneV2, (v1) => v1)
    .done({ unmarkedUpTo: 1 }),
  'sweep-finetuned': single('sweep-finetuned', SweepV1),
  'train-large': single('train-large', z.union([RunV1, Skipped])),
  'sweep-large': single('sweep-large', z.union([SweepV1, Skipped])),
  'finetune-large': single('finetune-large', z.union([FinetuneLargeV1, Skipped])),
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
  'train-large': true,
  'sweep-large': true,
  'finetune-large': true,
  summary: true,
};
void _latestAreTheContract;
