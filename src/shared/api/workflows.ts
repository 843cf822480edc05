import { z } from 'zod';
import { workCost } from './work-cost';
import { FinetuneHParams } from '../hparams/finetune';
import { SweepHParams } from '../hparams/sweep';
import { HParams, WARMUP_TOO_LONG, warmupFits } from '../hparams/train';
import { WorkflowHParams } from '../hparams/workflow';
import { DatasetId } from './datasets';
import { ModelId } from './model-id';
import { RunId, RunName, RunStatus } from './runs';
import { SweepId } from './sweeps';

export const WorkflowId = z.number().int().positive();

/** The steps of "Train small, test large", in order. */
export const WORKFLOW_STEPS = ['plan', 'train', 'analyze', 'sweep', 'adapt', 'finetune', 'sweep-finetuned', 'summary'] as const;
export const WorkflowStepName = z.enum(WORKFLOW_STEPS);
export type WorkflowStepName = z.infer<typeof WorkflowStepName>;
export const WorkflowStepStatus = z.enum(['pending', 'running', 'completed', 'failed', 'cancelled', 'interrupted']);

/** The training hyperparameters a workflow takes; its train step passes them to RunConfig as they are. */
export const WORKFLOW_TRAIN_KEYS = [
  'arch',
  'width',
  'blocks',
  'epochs',
  'batchSize',
  'lr',
  'warmupEpochs',
  'cropPct',
  'scale',
  'ratio',
  'normalize',
  'seed',
  'backend',
] as const satisfies readonly (keyof typeof HParams.shape)[];
const trainKeys = Object.fromEntries(WORKFLOW_TRAIN_KEYS.map((k) => [k, true])) as {
  [K in (typeof WORKFLOW_TRAIN_KEYS)[number]]: true;
};

/**
 * One click: train at a small K_train, analyse the apparent-size discrepancy, sweep K_test,
 * add the Fréchet series, fine-tune BN + classifier at the best K_test and sweep again. Started
 * from an imported model, the train step puts that model to work on the dataset instead (its
 * classifier kept when it fits, else a linear probe trains a new one for `epochs`), at the
 * model's own preprocessing; the FixRes steps follow unchanged.
 */
export const WorkflowRequest = HParams.pick(trainKeys)
  .extend({
    datasetId: DatasetId,
    /** Start from this imported model instead of training from scratch. */
    modelId: ModelId.meta({
      label: 'Start from a model',
      help: 'An imported model to FixRes instead of training from scratch',
      flag: 'from-model',
    }).optional(),
    name: RunName.optional(),
    /** Train resolution; default: suggested from the image sizes and the time budget. */
    kTrain: HParams.shape.kTrain
      .unwrap()
      .meta({ hint: 'empty: suggested', help: 'Side of the training crops (default: the largest that fits the time budget)' })
      .optional(),
    budgetMinutes: WorkflowHParams.shape.budgetMinutes,
    /** K_test list of every sweep; default: the plan (K_train·0.5 … ·2 and K_test*). */
    kTests: SweepHParams.shape.kTests.meta({ hint: 'empty: K_train·0.5 … ·2 and K_test*' }),
    adapt: WorkflowHParams.shape.adapt,
    finetune: FinetuneHParams.pick({ mode: true, augment: true, epochs: true, lr: true })
      .strict()
      .meta({ label: 'Fine-tune', help: 'The fine-tune at the best K_test', flag: 'finetune' })
      .prefault({}),
  })
  .strict()
  .refine(warmupFits, WARMUP_TOO_LONG);
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

export const SuggestRequest = HParams.pick({ arch: true, width: true, epochs: true, batchSize: true, cropPct: true })
  .extend({
    datasetId: DatasetId,
    budgetMinutes: WorkflowHParams.shape.budgetMinutes,
    finetuneEpochs: FinetuneHParams.shape.epochs,
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

/** plan: the K_train the workflow trains at, given, suggested from the time budget, or the imported model's input size. */
export const PlanOutput = z.strictObject({
  kTrain: z.number().int(),
  source: z.enum(['given', 'suggested', 'model']),
  suggestion: KTrainSuggestion.nullable(),
});
/** train, finetune: the run and its last validation accuracy. */
export const RunStepOutput = z.strictObject({ runId: RunId, kTrain: z.number().int(), lastAcc: z.number().nullable() });
/** analyze: the apparent-size discrepancy α (closed form and Monte Carlo over the dataset) and K_test*. */
export const AnalyzeOutput = z.strictObject({
  kTrain: z.number().int(),
  closedFormAlpha: z.number(),
  monteCarloAlpha: z.number(),
  meanTrainOverTest: z.number(),
  fallbackRate: z.number(),
  /** Rounded to a multiple of `multiple`. */
  kTestStar: z.number().int(),
  images: z.number().int(),
  /** K_test* before rounding, and the multiple (null for workflows analysed before they were kept). */
  kTestStarExact: z.number().nullable(),
  multiple: z.number().int().nullable(),
});
/** sweep, adapt, sweep-finetuned: the sweep, its K_test list, the best K_test and the accuracy at K_train. */
export const SweepStepOutput = z.strictObject({
  sweepId: SweepId,
  runId: RunId,
  kTests: z.array(z.number().int()),
  best: Score.strict().nullable(),
  atKTrain: Score.strict().nullable(),
});

/** What each step stores when it completes (docs/RESULTS.md "Workflow"). */
export const WORKFLOW_STEP_OUTPUTS = {
  plan: PlanOutput,
  train: RunStepOutput,
  analyze: AnalyzeOutput,
  sweep: SweepStepOutput,
  adapt: z.union([SweepStepOutput, z.strictObject({ skipped: z.literal(true) })]),
  finetune: RunStepOutput,
  'sweep-finetuned': SweepStepOutput,
  summary: WorkflowSummary,
} satisfies Record<WorkflowStepName, z.ZodType>;
export type WorkflowStepOutputs = { [K in WorkflowStepName]: z.infer<(typeof WORKFLOW_STEP_OUTPUTS)[K]> };

const stepFields = {
  position: z.number().int(),
  status: WorkflowStepStatus,
  /** The run this step trained (train, finetune) or swept. */
  runId: RunId.nullable(),
  sweepId: SweepId.nullable(),
  ...workCost,
};
const O = WORKFLOW_STEP_OUTPUTS;

/** One step of a workflow; its `output` (what it found, once completed) is typed by its `step`. */
export const WorkflowStep = z.discriminatedUnion('step', [
  z.object({ step: z.literal('plan'), output: O.plan.nullable(), ...stepFields }),
  z.object({ step: z.literal('train'), output: O.train.nullable(), ...stepFields }),
  z.object({ step: z.literal('analyze'), output: O.analyze.nullable(), ...stepFields }),
  z.object({ step: z.literal('sweep'), output: O.sweep.nullable(), ...stepFields }),
  z.object({ step: z.literal('adapt'), output: O.adapt.nullable(), ...stepFields }),
  z.object({ step: z.literal('finetune'), output: O.finetune.nullable(), ...stepFields }),
  z.object({ step: z.literal('sweep-finetuned'), output: O['sweep-finetuned'].nullable(), ...stepFields }),
  z.object({ step: z.literal('summary'), output: O.summary.nullable(), ...stepFields }),
]);
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
