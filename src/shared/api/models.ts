import { z } from 'zod';
import { CropPct, Interpolation, KSize } from '../hparams/fields';
import { Arch } from '../models/registry';
import { DatasetId, FolderPath } from './datasets';
import { HParams } from '../hparams/train';
import { endpoint } from './endpoint';
import { ModelId } from './model-id';
import { Run, RunId } from './runs';

export { ModelId };

/** A weights file on the lab's disk (safetensors or torch.save). */
export const FilePath = z
  .string()
  .trim()
  .min(1, 'Choose a file')
  .max(4096, 'Path is too long')
  .refine((p) => !p.includes('\0'), 'Path contains a NUL byte');

const Rgb = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);
const PositiveRgb = z.tuple([z.number().gt(0), z.number().gt(0), z.number().gt(0)]);

/** The formats weights are imported from. */
export const WeightsFormat = z.enum(['safetensors', 'torch-zip', 'torch-legacy']);

/** How images are prepared for a model (timm's pretrained_cfg data fields) and where that came from. */
export const ModelPreprocessing = z.object({
  /** The resolution it was trained at (K_train). */
  inputSize: KSize,
  /** The resolution it is tested at by default. */
  testInputSize: KSize,
  cropPct: CropPct,
  mean: Rgb,
  std: PositiveRgb,
  interpolation: Interpolation,
  /** Where the values came from: the architecture's defaults, a config.json next to the weights, or flags. */
  source: z.enum(['defaults', 'config', 'flags', 'config+flags']),
});
export type ModelPreprocessing = z.infer<typeof ModelPreprocessing>;

/**
 * Import a PyTorch model: its weights file and architecture; the class count is read from the
 * file (`--num-classes` checks it); preprocessing from flags, else a timm `config.json` next to
 * the file, else the architecture's defaults.
 */
export const ImportModelRequest = z
  .object({
    file: FilePath,
    /** Default: the architecture the config.json next to the file names. */
    arch: Arch.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    numClasses: z.number().int().min(1).max(100_000).optional(),
    /** One class name per line (or a JSON list, or timm/Keras's {"0": [id, name]} index). */
    classesFile: FilePath.optional(),
    /** K_train: the resolution the model was trained at. */
    kTrain: KSize.optional(),
    testInputSize: KSize.optional(),
    cropPct: CropPct.optional(),
    mean: Rgb.optional(),
    std: PositiveRgb.optional(),
    interpolation: Interpolation.optional(),
  })
  .strict();
export type ImportModelRequest = z.input<typeof ImportModelRequest>;

/** What a recipe's config.json says about the training that made the weights (the recipe's run id even when that run is in another lab). */
export const ExternalTraining = z.object({
  runId: z.number().int().nullable(),
  labId: z.string().nullable(),
  kind: z.string(),
  epochs: z.number().int().nullable(),
  worldSize: z.number().int().nullable(),
  torch: z.string().nullable(),
});
export type ExternalTraining = z.infer<typeof ExternalTraining>;

/** An imported model: its provenance, what it predicts and how it wants its images. */
export const Model = z.object({
  id: ModelId,
  name: z.string(),
  arch: Arch,
  width: z.number(),
  blocks: z.array(z.number().int()).nullable(),
  numClasses: z.number().int(),
  /** Class names from the classes file, or null (indices only). */
  classNames: z.array(z.string()).nullable(),
  preprocessing: ModelPreprocessing,
  /** Provenance: the file as it was imported. */
  file: z.string(),
  sha256: z.string(),
  format: WeightsFormat,
  bytes: z.number().int(),
  /** Where the state_dict was in the file (`model`, `state_dict`; "" at the top) and the prefix removed (`module.`). */
  weightsAt: z.string(),
  strippedPrefix: z.string(),
  params: z.number().int(),
  importSeconds: z.number(),
  /** Trained elsewhere from a run's exported recipe: that run (when it is in this lab) and what its config.json said. */
  recipeRunId: z.number().int().nullable(),
  externalTraining: ExternalTraining.nullable(),
  createdAt: z.string(),
});
export type Model = z.infer<typeof Model>;

const byId = z.object({ id: ModelId }).strict();

/** A model to run: an imported model, or a run's latest checkpoint (a fine-tuned model). */
export const ModelRef = z.union([z.object({ modelId: ModelId }).strict(), z.object({ runId: RunId }).strict()]);
export type ModelRef = z.infer<typeof ModelRef>;

/** An image sent with the request (the app's "choose or drop images"), base64-encoded. */
export const UploadedImage = z.object({
  name: z.string().trim().min(1).max(255),
  /** At most 24 MB of image bytes. */
  dataBase64: z
    .string()
    .min(1)
    .max(32 * 2 ** 20, 'The image is over 24 MB; give its path instead'),
});

export const PredictRequest = z
  .object({
    model: ModelRef,
    /** Default: the model's test input size. */
    kTest: KSize.optional(),
    /** Default: the model's crop_pct. */
    cropPct: CropPct.optional(),
    /** Image files on the lab's disk… */
    files: z.array(FilePath).max(256, 'At most 256 images at once').optional(),
    /** …or images sent with the request. */
    images: z.array(UploadedImage).max(32, 'At most 32 images at once').optional(),
    topK: z.number().int().min(1).max(100).default(5),
  })
  .strict()
  .refine((r) => (r.files?.length ?? 0) + (r.images?.length ?? 0) > 0, { path: ['files'], message: 'Choose at least one image' })
  .refine((r) => !(r.files?.length && r.images?.length), { path: ['images'], message: 'Give image paths or images, not both' });
export type PredictRequest = z.input<typeof PredictRequest>;
export type ParsedPredictRequest = z.output<typeof PredictRequest>;

export const Prediction = z.object({
  /** The file's path, or an uploaded image's name. */
  path: z.string(),
  logits: z.array(z.number()),
  /** The topK classes, most probable first. */
  top: z.array(z.object({ index: z.number().int(), className: z.string().nullable(), probability: z.number() })),
});
export type Prediction = z.infer<typeof Prediction>;

export const PredictResult = z.object({
  kTest: z.number().int(),
  cropPct: z.number(),
  backend: z.string(),
  predictions: z.array(Prediction),
});
export type PredictResult = z.infer<typeof PredictResult>;

/** The formats a model exports to (w5 adds onnx). */
/** safetensors: torchvision key names (PyTorch's load_state_dict takes it); onnx: one file for every input size. */
export const ModelExportFormat = z.enum(['safetensors', 'onnx']);
export type ModelExportFormat = z.infer<typeof ModelExportFormat>;

export const ModelExportRequest = z
  .object({
    model: ModelRef,
    format: ModelExportFormat.default('safetensors'),
    dir: FolderPath,
    /** The K_test the exported preprocessing.json names (default: the model's test input size). */
    kTest: KSize.optional(),
    force: z.boolean().default(false),
  })
  .strict();
export type ModelExportRequest = z.input<typeof ModelExportRequest>;
export type ParsedModelExportRequest = z.output<typeof ModelExportRequest>;

/**
 * Put an imported model to work on a dataset: a run of kind `import` at the model's own
 * preprocessing (`kTrain` overrides the model's train size). Its classifier is kept when it fits
 * the dataset's classes; otherwise a new one is trained on the frozen trunk first (a linear
 * probe: `epochs`, `lr`, `batchSize`).
 */
export const UseModelRequest = z
  .object({
    modelId: ModelId,
    datasetId: DatasetId,
    name: z.string().trim().max(200).optional(),
    // No defaults here: what is left out comes from the model (K_train) or the run's own defaults.
    kTrain: HParams.shape.kTrain.unwrap().optional(),
    epochs: HParams.shape.epochs.unwrap().optional(),
    batchSize: HParams.shape.batchSize.unwrap().optional(),
    lr: HParams.shape.lr.unwrap().optional(),
    seed: HParams.shape.seed.unwrap().optional(),
    backend: HParams.shape.backend,
  })
  .strict();
export type UseModelRequest = z.input<typeof UseModelRequest>;

export const ModelExportResult = z.object({ dir: z.string(), files: z.array(z.string()) });

export const modelsApi = {
  'models.import': endpoint(ImportModelRequest, Model),
  'models.list': endpoint(z.object({}).strict(), z.array(Model)),
  'models.get': endpoint(byId, Model),
  'models.remove': endpoint(byId, z.object({ removed: z.boolean() })),
  'models.predict': endpoint(PredictRequest, PredictResult),
  'models.export': endpoint(ModelExportRequest, ModelExportResult),
  'models.use': endpoint(UseModelRequest, Run),
};

export const modelsEvents = {
  'model.updated': Model,
  'model.removed': z.object({ id: ModelId }),
};
