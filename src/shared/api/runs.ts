import { z } from 'zod';
import { workCost } from './work-cost';
import { DatasetId, FolderPath } from './datasets';
import { endpoint } from './endpoint';
import { BackendName } from '../backends';
import { ModelId } from './model-id';
import type { HeadChange } from '../jobs/models';
import { HParams, WARMUP_TOO_LONG, warmupFits } from '../hparams/train';

export { RUN_LIMITS } from '../hparams/fields';

export const RunId = z.number().int().positive();
export const RunKind = z.enum(['train', 'finetune', 'sweep', 'workflow', 'import']);
export const RunStatus = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;
/** Whether a job (run, sweep, workflow) with this status has not ended yet: it is queued or running. */
export const isActiveStatus = (status: string): boolean => status === 'queued' || status === 'running';

/** A run's or workflow's name as typed (default: made from its settings). */
export const RunName = z.string().trim().max(200).meta({
  label: 'Name',
  help: 'A name to find it by (default: made from its settings)',
  widget: 'text',
  placeholder: 'optional',
});

/**
 * What a user asks for when starting a run: the hyperparameters (every one has a default) and
 * where the run starts from. The lab resolves the rest once (K_test, fine-tune mode, eval batch)
 * and stores the result frozen.
 */
export const RunConfig = HParams.extend({
  datasetId: DatasetId,
  name: RunName.optional(),
  /** Fine-tune: start from this run's latest checkpoint. */
  parentRunId: RunId.meta({
    label: 'Parent run',
    help: "Start from this run's latest checkpoint",
    flag: 'parent',
    valueName: 'RUN',
    inForm: false,
  }).optional(),
  /** Start from a user's tfjs LayersModel folder (model.json + shards). */
  pretrainedDir: FolderPath.optional(),
  /**
   * Put an imported model to work on the dataset (a run of kind `import`): its classifier is kept
   * when it fits the dataset's classes, else a new one is trained on the frozen trunk (a linear probe).
   */
  modelId: ModelId.optional(),
})
  .strict()
  .refine(warmupFits, WARMUP_TOO_LONG)
  .refine((c) => c.minLr <= c.lr, { path: ['minLr'], message: 'minLr must not exceed lr' })
  .superRefine((c, ctx) => {
    const starts = (['parentRunId', 'pretrainedDir', 'modelId'] as const).filter((k) => c[k] !== undefined);
    // Named on the second start given: the field the user added to a request that already had one.
    if (starts.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: [starts[1]!],
        message: 'Start from one of a parent run, a pretrained folder or an imported model',
      });
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
  /** An import run: the imported model's checkpoint and what happens to its classifier. */
  initModel?: { modelId: number; dir: string; head: HeadChange };
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

/** How a run is handed to another trainer: torchrun writes train.py + recipe.json for PyTorch's DistributedDataParallel. */
export const RecipeFormat = z.enum(['torchrun']);

/**
 * Export a run as a recipe to train elsewhere: a stored run (`id`), or the run form's settings
 * (`config`, frozen as starting it would, nothing stored). A fine-tune also gets its starting
 * weights, init.safetensors.
 */
export const ExportRecipeRequest = z
  .object({
    id: RunId.optional(),
    config: RunConfig.optional(),
    format: RecipeFormat.default('torchrun'),
    /** An absolute folder; created if missing. */
    dir: FolderPath,
    /** Replace the files of an earlier recipe in `dir`. */
    force: z.boolean().default(false),
  })
  .strict()
  .refine((r) => (r.id === undefined) !== (r.config === undefined), {
    path: ['id'],
    message: 'Give a run or a run configuration',
  });
export type ExportRecipeRequest = z.input<typeof ExportRecipeRequest>;
export type ParsedExportRecipeRequest = z.output<typeof ExportRecipeRequest>;
export const ExportRecipeResult = z.object({ dir: z.string(), files: z.array(z.string()) });
export type ExportRecipeResult = z.infer<typeof ExportRecipeResult>;

export const runsApi = {
  'runs.start': endpoint(RunConfig, Run),
  'runs.cancel': endpoint(byId, Run),
  'runs.resume': endpoint(ResumeRequest, Run),
  'runs.list': endpoint(z.object({}).strict(), z.array(Run)),
  'runs.get': endpoint(byId, RunDetail),
  'runs.delete': endpoint(byId, z.object({ deleted: z.boolean() })),
  'runs.exportRecipe': endpoint(ExportRecipeRequest, ExportRecipeResult),
  'jobs.list': endpoint(z.object({}).strict(), z.array(JobInfo)),
};

export const runsEvents = {
  'run.progress': RunProgress,
  'run.updated': Run,
  'jobs.changed': z.array(JobInfo),
};
