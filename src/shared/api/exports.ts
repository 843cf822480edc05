import { z } from 'zod';
import { FolderPath } from './datasets';
import { RunId } from './runs';
import { WorkflowId } from './workflows';

/**
 * csv: sweep points, epochs, activation statistics; json: everything; html: a self-contained report;
 * model: tfjs model + preprocessing.json; onnx: model.onnx (dynamic batch, height and width) + preprocessing.json;
 * safetensors: model.safetensors with torchvision key names (torchvision architectures only) + preprocessing.json.
 */
export const ExportFormat = z.enum(['csv', 'json', 'html', 'model', 'onnx', 'safetensors']);
export type ExportFormat = z.infer<typeof ExportFormat>;
export const EXPORT_FORMATS = ExportFormat.options;
/**
 * What an export writes unless told otherwise, from the app and the CLI alike: everything, the model
 * included; the lab adds safetensors for torchvision architectures (the only ones it can write).
 */
export const DEFAULT_EXPORT_FORMATS: readonly ExportFormat[] = EXPORT_FORMATS.filter((f) => f !== 'safetensors');

const ExportOptions = {
  /** Default: every format the run's model can be written in (safetensors only for torchvision architectures), from the app and the CLI alike. */
  formats: z.array(ExportFormat).min(1, 'choose at least one format').optional(),
  /** An absolute folder; created if missing. */
  dir: FolderPath,
  /** Replace files of an earlier export in `dir`; without it, existing files are refused. */
  overwrite: z.boolean().default(false),
};

export const RunExportRequest = z.object({ id: RunId, ...ExportOptions }).strict();
export type RunExportRequest = z.input<typeof RunExportRequest>;
export const WorkflowExportRequest = z.object({ id: WorkflowId, ...ExportOptions }).strict();
export type WorkflowExportRequest = z.input<typeof WorkflowExportRequest>;

export const ExportResult = z.object({
  dir: z.string(),
  files: z.array(z.object({ path: z.string(), format: ExportFormat, bytes: z.number().int() })),
});
export type ExportResult = z.infer<typeof ExportResult>;

/** The preprocessing a exported model expects, in the spirit of timm's pretrained_cfg. */
export const PreprocessingConfig = z.object({
  architecture: z.string(),
  width: z.number(),
  num_classes: z.number().int(),
  label_names: z.array(z.string()),
  /** [channels, height, width] the model was trained (or fine-tuned) at. */
  input_size: z.tuple([z.number(), z.number(), z.number()]),
  /** The test size with the best measured top-1 (the free "test larger" fix), else input_size. */
  test_input_size: z.tuple([z.number(), z.number(), z.number()]),
  crop_pct: z.number(),
  test_crop_pct: z.number(),
  crop_mode: z.literal('center'),
  interpolation: z.string(),
  mean: z.tuple([z.number(), z.number(), z.number()]),
  std: z.tuple([z.number(), z.number(), z.number()]),
  /** Tensor layout and pixel range before normalisation. */
  layout: z.literal('NHWC'),
  input_range: z.tuple([z.number(), z.number()]),
  fine_tuned: z
    .object({
      parent_run: z.number().int(),
      k: z.number().int(),
      trainable: z.string(),
      augment: z.string(),
      parent_k_train: z.number().int(),
    })
    .nullable(),
  top1: z.object({ at_input_size: z.number().nullable(), at_test_input_size: z.number().nullable() }),
  source: z.object({ app: z.string(), version: z.string(), run_id: z.number().int(), exported_at: z.string() }),
});
export type PreprocessingConfig = z.infer<typeof PreprocessingConfig>;
