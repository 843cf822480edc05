import { z } from 'zod';
import { BackendName } from '../backends';
import { workCost } from './work-cost';
import { CropPct, RatioRange, ScaleRange } from './analysis';
import { DatasetId } from './datasets';
import { RUN_LIMITS, RunId, RunStatus } from './runs';
import { SweepId } from './sweeps';

export const WorkflowId = z.number().int().positive();

/** The steps of "Train small, test large", in order. */
export const WORKFLOW_STEPS = ['plan', 'train', 'analyze', 'sweep', 'adapt', 'finetune', 'sweep-finetuned', 'summary'] as const;
export const WorkflowStepName = z.enum(WORKFLOW_STEPS);
export type WorkflowStepName = z.infer<typeof WorkflowStepName>;
export const WorkflowStepStatus = z.enum(['pending', 'running', 'completed', 'failed', 'cancelled', 'interrupted']);

const KSize = z.number().int('must be a whole number of pixels').min(1).max(RUN_LIMITS.maxK);

/**
 * One click: train at a small K_train, analyse the apparent-size discrepancy, sweep K_test,
 * add the Fréchet series, fine-tune BN + classifier at the best K_test and sweep again.
 */
export const WorkflowRequest = z
  .object({
    datasetId: DatasetId,
    name: z.string().trim().max(200).optional(),
    /** Train resolution; default: suggested from the image sizes and the time budget. */
    kTrain: KSize.optional(),
    /** Time the whole workflow may take; the suggested K_train is the largest that fits it. */
    budgetMinutes: z.number().gt(0).max(10_080).default(30),
    arch: z.enum(['resnet-mini', 'resnet18', 'resnet50']).default('resnet-mini'),
    width: z.number().finite().gt(0).max(RUN_LIMITS.maxWidth).default(1),
    blocks: z
      .tuple([z.number().int().min(1).max(50), z.number().int().min(1).max(50), z.number().int().min(1).max(50)])
      .optional(),
    epochs: z.number().int().min(1).max(RUN_LIMITS.maxEpochs).default(10),
    batchSize: z.number().int().min(1).max(RUN_LIMITS.maxBatch).default(32),
    lr: z.number().finite().gt(0).max(10).default(0.1),
    warmupEpochs: z.number().min(0).max(RUN_LIMITS.maxEpochs).default(0),
    cropPct: CropPct.default(0.875),
    scale: ScaleRange.default([0.08, 1]),
    ratio: RatioRange.default([3 / 4, 4 / 3]),
    normalize: z.enum(['imagenet', 'dataset']).default('imagenet'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    /** K_test list of every sweep; default: the plan (K_train·0.5 … ·2 and K_test*). */
    kTests: z.array(KSize).min(1).max(64).optional(),
    /** Run the Fréchet adaptation series. */
    adapt: z.boolean().default(true),
    finetune: z
      .object({
        mode: z.enum(['classifier', 'bn+classifier', 'full']).default('bn+classifier'),
        augment: z.enum(['da1', 'da2']).default('da1'),
        epochs: z.number().int().min(1).max(RUN_LIMITS.maxEpochs).default(2),
        /** Default: 1e-3 · batch / 512. */
        lr: z.number().finite().gt(0).max(10).optional(),
      })
      .strict()
      .prefault({}),
    backend: BackendName.optional(),
  })
  .strict()
  .refine((r) => r.warmupEpochs <= r.epochs, { path: ['warmupEpochs'], message: 'Warm-up cannot be longer than training' });
export type WorkflowRequest = z.input<typeof WorkflowRequest>;
export type WorkflowConfig = z.output<typeof WorkflowRequest>;

/** How the workflow's K_train was chosen. */
export const KTrainSuggestion = z.object({
  kTrain: z.number().int(),
  /** Largest K_train considered: crop_pct × the median short side (the largest test crop without upsampling). */
  maxK: z.number().int(),
  medianShortSide: z.number(),
  /** Estimated seconds of the whole workflow per candidate K_train. */
  estimates: z.array(z.object({ k: z.number().int(), seconds: z.number() })),
  budgetSeconds: z.number(),
  /** False when even the smallest candidate is over budget (it is then chosen anyway). */
  fits: z.boolean(),
  /** Training cost per image t(K) = a + b·K² seconds, and where it was measured. */
  cost: z.object({
    a: z.number(),
    b: z.number(),
    source: z.enum(['history', 'probe']),
    /** The measurements behind it: K and training images per second. */
    samples: z.array(z.object({ k: z.number().int(), imgPerSec: z.number(), runId: RunId.nullable() })),
  }),
});
export type KTrainSuggestion = z.infer<typeof KTrainSuggestion>;

export const SuggestRequest = z
  .object({
    datasetId: DatasetId,
    budgetMinutes: z.number().gt(0).max(10_080).default(30),
    arch: z.enum(['resnet-mini', 'resnet18', 'resnet50']).default('resnet-mini'),
    width: z.number().finite().gt(0).max(RUN_LIMITS.maxWidth).default(1),
    epochs: z.number().int().min(1).max(RUN_LIMITS.maxEpochs).default(10),
    batchSize: z.number().int().min(1).max(RUN_LIMITS.maxBatch).default(32),
    cropPct: CropPct.default(0.875),
    finetuneEpochs: z.number().int().min(1).max(RUN_LIMITS.maxEpochs).default(2),
  })
  .strict();
export type SuggestRequest = z.input<typeof SuggestRequest>;

const Score = z.object({ kTest: z.number().int(), top1: z.number() });

/** What the workflow found, from its stored runs and sweeps. */
export const WorkflowSummary = z.object({
  kTrain: z.number().int(),
  kTestStar: z.number().int().nullable(),
  trainRunId: RunId,
  finetuneRunId: RunId.nullable(),
  /** The trained model tested at K_test = K_train. */
  atKTrain: Score.nullable(),
  /** Best K_test of the trained model without any fix but the resolution. */
  bestTested: Score.nullable(),
  /** The Fréchet series at its best K_test. */
  frechet: Score.nullable(),
  /** The fine-tuned model at its fine-tuning K_test, and at its best. */
  finetuned: Score.nullable(),
  finetunedBest: Score.nullable(),
  best: Score.extend({ series: z.enum(['baseline', 'frechet', 'finetuned']) }).nullable(),
  /** best.top1 − atKTrain.top1 (accuracy points as a fraction). */
  gain: z.number().nullable(),
  phases: z.array(
    z.object({
      step: WorkflowStepName,
      seconds: z.number(),
      peakRssMb: z.number().nullable(),
      imgPerSec: z.number().nullable(),
    }),
  ),
  totalSeconds: z.number(),
});
export type WorkflowSummary = z.infer<typeof WorkflowSummary>;

export const WorkflowStep = z.object({
  step: WorkflowStepName,
  position: z.number().int(),
  status: WorkflowStepStatus,
  /** The run this step trained (train, finetune) or swept. */
  runId: RunId.nullable(),
  sweepId: SweepId.nullable(),
  /** Step-specific result (see docs/RESULTS.md "Workflow"). */
  output: z.unknown().nullable(),
  ...workCost,
});
export type WorkflowStep = z.infer<typeof WorkflowStep>;

export const Workflow = z.object({
  id: WorkflowId,
  name: z.string(),
  datasetId: DatasetId.nullable(),
  status: RunStatus,
  config: z.custom<WorkflowConfig>(),
  steps: z.array(WorkflowStep),
  /** The step running now, or where it stopped. */
  currentStep: WorkflowStepName.nullable(),
  summary: WorkflowSummary.nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Workflow = z.infer<typeof Workflow>;

export const WorkflowProgress = z.object({
  workflowId: WorkflowId,
  step: WorkflowStepName,
  /** 0-based position of the step, of `steps`. */
  position: z.number().int(),
  steps: z.number().int(),
  /** Fraction of the step done, when known. */
  fraction: z.number().min(0).max(1).nullable(),
  detail: z.string(),
});
export type WorkflowProgress = z.infer<typeof WorkflowProgress>;
