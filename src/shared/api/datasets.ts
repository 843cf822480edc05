import { z } from 'zod';
import { endpoint } from './endpoint';

export const DatasetId = z.number().int().positive();

export const ClassCount = z.object({
  name: z.string(),
  count: z.number().int(),
  train: z.number().int(),
  val: z.number().int(),
});
export type ClassCount = z.infer<typeof ClassCount>;

export const DatasetStatus = z.enum(['scanning', 'ready', 'failed']);

export const Dataset = z.object({
  id: DatasetId,
  name: z.string(),
  root: z.string(),
  layout: z.enum(['imagefolder', 'imagefolder-split', 'unknown']),
  status: DatasetStatus,
  error: z.string().nullable(),
  scannedAt: z.string().nullable(),
  imageCount: z.number().int(),
  classes: z.array(ClassCount),
});
export type Dataset = z.infer<typeof Dataset>;

export const ScanProgress = z.object({
  datasetId: DatasetId,
  filesSeen: z.number().int(),
  done: z.boolean(),
});
export type ScanProgress = z.infer<typeof ScanProgress>;

/** An absolute folder path typed or picked by the user. */
export const FolderPath = z
  .string()
  .trim()
  .min(1, 'Choose a folder')
  .max(4096, 'Path is too long')
  .refine((p) => !p.includes('\0'), 'Path contains a NUL byte');

export const datasetsApi = {
  'datasets.list': endpoint(z.object({}).strict(), z.array(Dataset)),
  'datasets.get': endpoint(z.object({ id: DatasetId }).strict(), Dataset),
  'datasets.open': endpoint(z.object({ root: FolderPath }).strict(), Dataset),
  'datasets.rescan': endpoint(z.object({ id: DatasetId }).strict(), Dataset),
  'datasets.remove': endpoint(z.object({ id: DatasetId }).strict(), z.object({ removed: z.boolean() })),
};

export const datasetsEvents = {
  'dataset.updated': Dataset,
  'dataset.scanProgress': ScanProgress,
};
