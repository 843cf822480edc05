import { z } from 'zod';
import { workCost } from './work-cost';
import { FinetuneHParams } from '../hparams/finetune';
import { SweepHParams } from '../hparams/sweep';
import { HParams, WARMUP_TOO_LONG, warmupFits } from '../hparams/train';
import { WorkflowHParams } from '../hparams/workflow';
import { DatasetId } from './datasets';
import { ModelId } from './model-id';
import { RunId, RunName, RunStatus } from './runs';
import { Accuracy, ImageSet, PairedGain, PairedGainCounts, SweepId } from './sweeps';

export const WorkflowId = z.number().int().positive();

/**
 * The steps of "Train small, test large", in order. The last three before the summary are the
 * payoff experiment (train large, test it, fine-tune the small model at the large size); they are
 * skipped unless the workflow asks for it.
 */
export const WORKFLOW_STEPS = [
  'plan',
  'train',
  'analyze',
  'sweep',
  'adapt',
  'finetune',
  'sweep-finetuned',
  'train-large',
  'sweep-large',
  'finetune-large',
  'summary',
] as const;
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
    /** Training epochs; default: about 2 500 steps on this dataset, 10 to 60 epochs (src/core/train-plan.ts). */
    epochs: HParams.shape.epochs
      .unwrap()
      .meta({
        hint: 'empty: ~2 500 steps',
        help: 'Passes over the training images (default: about 2 500 steps, 10 to 60 epochs)',
      })
      .optional(),
    /** Warm-up; default: a tenth of the epochs. */
    warmupEpochs: HParams.shape.warmupEpochs
      .unwrap()
      .meta({
        hint: 'empty: a tenth of the epochs',
        help: 'Linear warm-up of the learning rate (default: a tenth of the epochs)',
      })
      .optional(),
    /** A narrow network and a moderate rate: what trains from scratch on a CPU budget (docs/SCIENCE.md §9). */
    width: HParams.shape.width.unwrap().default(0.5),
    lr: HParams.shape.lr.unwrap().default(0.05),
    finetune: FinetuneHParams.pick({ mode: true, augment: true, epochs: true, lr: true })
      .extend({
        /** How many fine-tuned K_test to try, from the untuned best up to 1.4× it (src/core/finetune-candidates.ts). */
        candidates: z
          .number()
          .int()
          .min(1)
          .max(8)
          .meta({ label: 'Sizes tried', help: 'Fine-tune at this many K_test, from the untuned best up to 1.4× it' })
          .default(3),
      })
      .strict()
      .meta({ label: 'Fine-tune', help: 'The fine-tunes at K_test candidates', flag: 'finetune' })
      .prefault({}),
    payoff: WorkflowHParams.shape.payoff,
    kLarge: WorkflowHParams.shape.kLarge,
  })
  .strict()
  .refine(
    (r) =>
      r.epochs === undefined || r.warmupEpochs === undefined || warmupFits({ epochs: r.epochs, warmupEpochs: r.warmupEpochs }),
    WARMUP_TOO_LONG,
  );
export type WorkflowRequest = z.input<typeof WorkflowRequest>;
export type WorkflowConfig = z.output<typeof WorkflowRequest>;

/** Seconds per image a + b·K² of one kind of pass, and opening it once per job. */
const PassCost = z.object({ a: z.number(), b: z.number(), setupSeconds: z.number() });

/** How the workflow's K_train (and, unless given, its epochs) was chosen. */
export const KTrainSuggestion = z.object({
  kTrain: z.number().int(),
  /** Training epochs the estimate assumed (the workflow's, or picked for ~2 500 steps). */
  epochs: z.number().int(),
  /** Largest K_train considered: crop_pct × the median short side (the largest test crop without upsampling). */
  maxK: z.number().int(),
  medianShortSide: z.number(),
  /** Estimated seconds of the whole workflow per candidate K_train. */
  estimates: z.array(z.object({ k: z.number().int(), seconds: z.number() })),
  budgetSeconds: z.number(),
  /** False when even the smallest candidate is over budget (it is then chosen anyway). */
  fits: z.boolean(),
  /** The chosen K_train's estimate per step (absent in plans stored before it was kept). */
  steps: z.partialRecord(WorkflowStepName, z.number()).optional(),
  /** Seconds the planning itself took (its speed probes), counted in the estimate. */
  planSeconds: z.number().optional(),
  /** Training cost per image t(K) = a + b·K² seconds, and where it was measured. */
  cost: z.object({
    a: z.number(),
    b: z.number(),
    /** First-epoch decoding per training image and an engine job's set-up, in seconds (src/core/k-train-choice.ts). */
    decodeSeconds: z.number().optional(),
    jobSeconds: z.number().optional(),
    /** A sweep's pass and a head-only fine-tune's step, as the probes timed them (absent: ratios to t(K)). */
    passes: z
      .object({ sweep: PassCost.extend({ decodeSeconds: z.number(), pointSeconds: z.number() }), finetune: PassCost })
      .optional(),
    source: z.enum(['history', 'probe']),
    /** The measurements behind it: K and training images per second. */
    samples: z.array(z.object({ k: z.number().int(), imgPerSec: z.number(), runId: RunId.nullable() })),
  }),
});
export type KTrainSuggestion = z.infer<typeof KTrainSuggestion>;

/**
 * What a workflow's plan asks for (src/lab/workflows/workflow-steps.ts suggestRequestOf builds it
 * from the workflow's config): `workflows.suggest` takes the whole WorkflowRequest, so the plan it
 * shows is the one Start makes.
 */
export const SuggestRequest = HParams.pick({ arch: true, batchSize: true, cropPct: true })
  .extend({
    datasetId: DatasetId,
    budgetMinutes: WorkflowHParams.shape.budgetMinutes,
    width: HParams.shape.width.unwrap().default(0.5),
    /** Default: the workflow's ~2 500 steps. */
    epochs: HParams.shape.epochs.unwrap().optional(),
    finetuneEpochs: FinetuneHParams.shape.epochs,
    /** Fine-tuned K_test the workflow will try. */
    finetuneCandidates: z.number().int().min(1).max(8).default(3),
    /** Whether the payoff experiment (a large run and a fine-tune at its size) is planned too. */
    payoff: WorkflowHParams.shape.payoff,
  })
  .strict();
export type SuggestRequest = z.input<typeof SuggestRequest>;

/**
 * One model at one K_test as the summary reports it. `top1` is on the reporting images
 * (`images.reportedOn`; summaries stored before per-image results: all validation images).
 */
const Score = z.object({
  kTest: z.number().int(),
  top1: z.number(),
  runId: RunId.optional(),
  /** top-1 with its Wilson interval on the reporting images. */
  reported: Accuracy.optional(),
  /** top-1 on the selection half, where this K_test was picked (null: no per-image results). */
  selection: Accuracy.nullable().optional(),
});

/** The payoff experiment: train small vs train large (paper §5: train at 128, test at 224, matches training at 224). */
export const PayoffRow = z.object({
  label: z.string(),
  runId: RunId,
  kTrain: z.number().int(),
  kTest: z.number().int(),
  reported: Accuracy,
  /** Training cost of the model behind the row (the small run's, plus its fine-tune for a fine-tuned row). */
  trainSeconds: z.number(),
  peakRssMb: z.number().nullable(),
  trainImgPerSec: z.number().nullable(),
});
export type PayoffRow = z.infer<typeof PayoffRow>;

/** A schema holding paired gains: with their interval (the contract) or without (stored summaries before version 3). */
type GainSchema = typeof PairedGain | typeof PairedGainCounts;

const payoffWith = <G extends GainSchema>(gain: G) =>
  z.object({
    kSmall: z.number().int(),
    kLarge: z.number().int(),
    rows: z.array(PayoffRow),
    /** The small model fine-tuned at K_large and tested there, against the large model at K_large (same images). */
    smallFinetunedVsLarge: z.nullable(gain),
    /** The small model at its best untuned K_test against the large model at K_large. */
    smallTestedVsLarge: z.nullable(gain),
  });
export const Payoff = payoffWith(PairedGain);
export type Payoff = z.infer<typeof Payoff>;

/** What the workflow found, with its gains held by `gain` (WorkflowSummary below; src/store/documents pins older versions). */
export const workflowSummaryWith = <G extends GainSchema>(gain: G) =>
  z.object({
    kTrain: z.number().int(),
    /** K_test* where apparent object sizes match (α = 1); not the best K_test. */
    kTestStar: z.number().int().nullable(),
    trainRunId: RunId,
    /** The fine-tuned run picked among the candidates. */
    finetuneRunId: RunId.nullable(),
    /** Where K_test values were picked and where the numbers below are reported, and how many images each has. */
    images: z
      .object({ pickedOn: ImageSet, reportedOn: ImageSet, picked: z.number().int(), reported: z.number().int() })
      .optional(),
    /** The trained model tested at K_test = K_train. */
    atKTrain: Score.nullable(),
    /** Best K_test of the trained model without any fix but the resolution. */
    bestTested: Score.nullable(),
    /** The Fréchet series at its best K_test. */
    frechet: Score.nullable(),
    /** The picked fine-tuned model at its fine-tuning K_test, and at its best K_test over its sweep. */
    finetuned: Score.nullable(),
    finetunedBest: Score.nullable(),
    /** Every fine-tuned K_test tried, each scored at its own K_test. */
    finetuneCandidates: z.array(Score).optional(),
    best: Score.extend({ series: z.enum(['baseline', 'frechet', 'finetuned']) }).nullable(),
    /** best.top1 − atKTrain.top1 (accuracy points as a fraction) on the reporting images. */
    gain: z.number().nullable(),
    /** Each gain with McNemar's exact test on the reporting images (null without per-image results). */
    gains: z
      .object({
        /** best untuned K_test vs K_train. */
        testLarger: z.nullable(gain),
        /** Fréchet vs the untuned model at the Fréchet series' K_test. */
        frechet: z.nullable(gain),
        /** the fine-tuned model vs the untuned one, both at the fine-tuning K_test. */
        finetune: z.nullable(gain),
        /** best vs K_train. */
        total: z.nullable(gain),
      })
      .optional(),
    payoff: z.nullable(payoffWith(gain)).optional(),
    /** Why the numbers may not mean much (near chance, too few images, picked on the reported images). */
    warnings: z.array(z.string()).optional(),
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
/** What the workflow found, from its stored runs and sweeps; each number says which images it comes from. */
export const WorkflowSummary = workflowSummaryWith(PairedGain);
export type WorkflowSummary = z.infer<typeof WorkflowSummary>;

/**
 * plan: the K_train the workflow trains at (given, suggested from the time budget, or the imported
 * model's input size) and the epochs and warm-up it trains for (absent in plans stored before).
 */
export const PlanOutput = z.strictObject({
  kTrain: z.number().int(),
  source: z.enum(['given', 'suggested', 'model']),
  suggestion: KTrainSuggestion.partial({ epochs: true }).nullable(),
  epochs: z.number().int().optional(),
  warmupEpochs: z.number().optional(),
});
/** train, finetune, train-large: the run and its last validation accuracy. */
export const RunStepOutput = z.strictObject({ runId: RunId, kTrain: z.number().int(), lastAcc: z.number().nullable() });
/** finetune: the picked fine-tune, and every K_test candidate tried (its run and the sweep that measured it). */
export const FinetuneStepOutput = RunStepOutput.extend({
  candidates: z.array(z.strictObject({ kTest: z.number().int(), runId: RunId, sweepId: SweepId })).optional(),
});
/** A step the workflow's options left out (adapt without Fréchet, the payoff steps without --payoff). */
const SkippedStep = z.strictObject({ skipped: z.literal(true) });
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
  adapt: z.union([SweepStepOutput, SkippedStep]),
  finetune: FinetuneStepOutput,
  'sweep-finetuned': SweepStepOutput,
  'train-large': z.union([RunStepOutput, SkippedStep]),
  'sweep-large': z.union([SweepStepOutput, SkippedStep]),
  'finetune-large': z.union([z.strictObject({ kLarge: z.number().int(), runId: RunId }), SkippedStep]),
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
  z.object({ step: z.literal('train-large'), output: O['train-large'].nullable(), ...stepFields }),
  z.object({ step: z.literal('sweep-large'), output: O['sweep-large'].nullable(), ...stepFields }),
  z.object({ step: z.literal('finetune-large'), output: O['finetune-large'].nullable(), ...stepFields }),
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
