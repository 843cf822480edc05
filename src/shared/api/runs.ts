import { z } from 'zod';
import { BackendName } from '../backends';
import { workCost } from './work-cost';
import { DatasetId, FolderPath } from './datasets';
import { endpoint } from './endpoint';

/** Limits that keep a typo from asking for a week of compute or a 100 GB tensor. */
export const RUN_LIMITS = { maxK: 1024, maxEpochs: 1000, maxBatch: 4096, maxWidth: 8 } as const;

export const RunId = z.number().int().positive();
export const RunKind = z.enum(['train', 'finetune', 'sweep', 'workflow']);
export const RunStatus = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

const positiveInt = (max: number) => z.number().int().min(1).max(max);
const fraction = z.number().finite().gt(0).max(1);
// No field name in the message: every adapter already puts the field in front of it.
const orderedPair = (item: z.ZodNumber) =>
  z.tuple([item, item]).refine(([lo, hi]) => lo <= hi, 'the minimum must not exceed the maximum');

/**
 * What a user asks for when starting a run; every field but the dataset has a default. The lab
 * resolves the rest once (K_test, fine-tune mode, eval batch) and stores the result frozen.
 */
export const RunConfig = z
  .object({
    datasetId: DatasetId,
    name: z.string().trim().max(200).optional(),
    /** Fine-tune: start from this run's latest checkpoint. */
    parentRunId: RunId.optional(),
    /** Start from a user's tfjs LayersModel folder (model.json + shards). */
    pretrainedDir: FolderPath.optional(),
    arch: z.enum(['resnet-mini', 'resnet18', 'resnet50']).default('resnet-mini'),
    width: z.number().finite().gt(0).max(RUN_LIMITS.maxWidth).default(1),
    blocks: z.tuple([positiveInt(50), positiveInt(50), positiveInt(50)]).optional(),
    trainable: z.enum(['classifier', 'bn+classifier', 'last-bn+classifier', 'full']).optional(),
    kTrain: positiveInt(RUN_LIMITS.maxK).default(32),
    kTest: positiveInt(RUN_LIMITS.maxK).optional(),
    cropPct: fraction.default(0.875),
    scale: orderedPair(fraction).default([0.08, 1]),
    ratio: orderedPair(z.number().finite().gt(0).max(100)).default([3 / 4, 4 / 3]),
    /** Training augmentation: RandomResizedCrop (+flip, jitter), FixRes DA1 (test transform) or DA2 (shifted centre crop). */
    augment: z.enum(['rrc', 'da1', 'da2']).default('rrc'),
    hflip: z.boolean().default(true),
    jitter: z.number().min(0).max(1).default(0),
    interpolation: z.enum(['bilinear', 'bicubic', 'nearest']).default('bilinear'),
    /**
     * Keep decoded images in memory (bounded) and crop from them after the first epoch: copies
     * of large images are shrunk only so far that every crop keeps ≥ K pixels; test-transform
     * pixels are identical. Runs stored before this setting existed train without it.
     */
    decodeCache: z.boolean().default(true),
    /** Input normalisation: ImageNet's mean/std, or the dataset's own (from its training images). */
    normalize: z.enum(['imagenet', 'dataset']).default('imagenet'),
    epochs: positiveInt(RUN_LIMITS.maxEpochs).default(10),
    batchSize: positiveInt(RUN_LIMITS.maxBatch).default(32),
    lr: z.number().finite().gt(0).max(10).default(0.1),
    momentum: z.number().min(0).lt(1).default(0.9),
    nesterov: z.boolean().default(false),
    weightDecay: z.number().min(0).max(0.1).default(5e-4),
    labelSmoothing: z.number().min(0).max(0.5).default(0),
    schedule: z.enum(['constant', 'step', 'cosine', 'linear']).default('cosine'),
    warmupEpochs: z.number().min(0).max(RUN_LIMITS.maxEpochs).default(0),
    milestones: z.array(positiveInt(RUN_LIMITS.maxEpochs)).max(20).optional(),
    gamma: fraction.default(0.1),
    minLr: z.number().finite().min(0).default(0),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    backend: BackendName.optional(),
  })
  .strict()
  .refine((c) => c.warmupEpochs <= c.epochs, { path: ['warmupEpochs'], message: 'Warm-up cannot be longer than training' })
  .refine((c) => c.minLr <= c.lr, { path: ['minLr'], message: 'minLr must not exceed lr' })
  .refine((c) => !(c.parentRunId && c.pretrainedDir), {
    path: ['pretrainedDir'],
    message: 'Start from a parent run or from a pretrained model, not both',
  });
export type RunConfigInput = z.input<typeof RunConfig>;
export type RunConfig = z.output<typeof RunConfig>;

/** A RunConfig with every default resolved: what is stored with the run and never changes. */
export type FrozenRunConfig = RunConfig & {
  kTest: number;
  trainable: NonNullable<RunConfig['trainable']>;
  evalBatchSize: number;
  /** The per-channel mean/std the run normalises with, resolved once. */
  normalizeValues: { mean: [number, number, number]; std: [number, number, number] };
  /** Images used for training and validation (the dataset's split) when the run was frozen. */
  trainImages: number;
  valImages: number;
};

export const EpochRow = z.object({
  epoch: z.number().int(),
  phase: z.enum(['train', 'val']),
  loss: z.number().nullable(),
  acc: z.number().nullable(),
  top5: z.number().nullable(),
  lr: z.number(),
  imgPerSec: z.number().nullable(),
  seconds: z.number().nullable(),
});
export type EpochRow = z.infer<typeof EpochRow>;

export const Run = z.object({
  id: RunId,
  kind: RunKind,
  name: z.string(),
  parentId: RunId.nullable(),
  datasetId: DatasetId.nullable(),
  status: RunStatus,
  config: z.custom<FrozenRunConfig>(),
  backend: z.string().nullable(),
  createdAt: z.string(),
  ...workCost,
  epochsDone: z.number().int(),
  checkpointDir: z.string().nullable(),
  /** Where the latest checkpoint stands (epoch, next batch), if any. */
  checkpoint: z.object({ epoch: z.number().int(), batch: z.number().int() }).nullable(),
  /** Last validation (else training) accuracy. */
  lastAcc: z.number().nullable(),
});
export type Run = z.infer<typeof Run>;

export const RunDetail = Run.extend({ epochs: z.array(EpochRow) });
export type RunDetail = z.infer<typeof RunDetail>;

export const RunProgress = z.object({
  runId: RunId,
  epoch: z.number().int(),
  epochs: z.number().int(),
  batch: z.number().int(),
  batchesPerEpoch: z.number().int(),
  loss: z.number(),
  acc: z.number(),
  lr: z.number(),
  imgPerSec: z.number(),
  etaSeconds: z.number().nullable(),
});
export type RunProgress = z.infer<typeof RunProgress>;

export const JobInfo = z.object({
  id: z.string(),
  kind: z.string(),
  label: z.string(),
  runId: RunId.nullable(),
  state: z.enum(['running', 'queued']),
  queuedAt: z.string(),
  startedAt: z.string().nullable(),
});
export type JobInfo = z.infer<typeof JobInfo>;

const byId = z.object({ id: RunId }).strict();
/** Resume, or retry on another backend when the run's own cannot load here ("Retry on wasm"). */
export const ResumeRequest = z.object({ id: RunId, backend: BackendName.optional() }).strict();
export type ResumeRequest = z.infer<typeof ResumeRequest>;

export const runsApi = {
  'runs.start': endpoint(RunConfig, Run),
  'runs.cancel': endpoint(byId, Run),
  'runs.resume': endpoint(ResumeRequest, Run),
  'runs.list': endpoint(z.object({}).strict(), z.array(Run)),
  'runs.get': endpoint(byId, RunDetail),
  'runs.delete': endpoint(byId, z.object({ deleted: z.boolean() })),
  'jobs.list': endpoint(z.object({}).strict(), z.array(JobInfo)),
};

export const runsEvents = {
  'run.progress': RunProgress,
  'run.updated': Run,
  'jobs.changed': z.array(JobInfo),
};
