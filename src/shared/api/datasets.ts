import { z } from 'zod';
import { endpoint } from './endpoint';
import { Seed } from '../hparams/fields';

export const DatasetId = z.number().int().positive();
export const ImageId = z.number().int().positive();
const Split = z.enum(['train', 'val']);

export const ClassCount = z.object({
  name: z.string(),
  count: z.number().int(),
  train: z.number().int(),
  val: z.number().int(),
});
export type ClassCount = z.infer<typeof ClassCount>;

export const DatasetStatus = z.enum(['scanning', 'ready', 'failed']);

export const SplitSettings = z.object({
  /** Where train/val come from: the folder tree, the manifest's split column, or a seeded stratified split. */
  source: z.enum(['folders', 'manifest', 'seeded']),
  valFraction: z.number(),
  seed: z.number().int(),
});

export const ProblemCounts = z.object({
  unreadable: z.number().int(),
  duplicateGroups: z.number().int(),
  /** Duplicate groups whose copies cross classes or splits. */
  leakingGroups: z.number().int(),
  tiny: z.number().int(),
  skipped: z.number().int(),
});

export const Dataset = z.object({
  id: DatasetId,
  name: z.string(),
  root: z.string(),
  layout: z.enum(['imagefolder', 'imagefolder-split', 'manifest', 'unknown']),
  status: DatasetStatus,
  error: z.string().nullable(),
  scannedAt: z.string().nullable(),
  /** Usable images (the classes, splits and formats add up to it); unreadable files are counted in `problems`. */
  imageCount: z.number().int(),
  /** Per class: readable images only. */
  classes: z.array(ClassCount),
  split: SplitSettings,
  problems: ProblemCounts,
});
export type Dataset = z.infer<typeof Dataset>;

export const ScanProgress = z.object({
  datasetId: DatasetId,
  filesSeen: z.number().int(),
  done: z.boolean(),
  /** listing = walking the folders; reading = decoding new or changed images; saving = writing the results. */
  phase: z.enum(['listing', 'reading', 'saving']).optional(),
  /** Images read so far / to read in this scan (unchanged files are not read again). */
  processed: z.number().int().optional(),
  total: z.number().int().optional(),
});
export type ScanProgress = z.infer<typeof ScanProgress>;

export const SampleKind = z.enum(['synthetic', 'fashion-mnist', 'mnist']);
export type SampleKind = z.infer<typeof SampleKind>;

export const SampleProgress = z.object({
  kind: SampleKind,
  done: z.number().int(),
  total: z.number().int(),
  finished: z.boolean(),
});

const ImageRef = z.object({ id: ImageId, relPath: z.string(), className: z.string(), split: Split.nullable() });
const Listing = <T extends z.ZodType>(item: T) => z.object({ total: z.number().int(), items: z.array(item) });

export const Inspection = z.object({
  datasetId: DatasetId,
  formats: z.array(z.object({ format: z.string(), count: z.number().int() })),
  /** Distinct sizes (w × h after EXIF rotation) with counts; snapped to a grid when there are very many. */
  sizes: z.array(z.object({ width: z.number().int(), height: z.number().int(), count: z.number().int() })),
  aspectRatios: z.array(z.object({ lo: z.number(), hi: z.number(), count: z.number().int() })),
  unreadable: Listing(ImageRef.extend({ reason: z.string() })),
  duplicates: Listing(
    z.object({ hash: z.string(), crossClass: z.boolean(), crossSplit: z.boolean(), images: z.array(ImageRef) }),
  ),
  tiny: Listing(ImageRef.extend({ width: z.number().int(), height: z.number().int() })),
  /** Images whose shorter side is below this are tiny (upscaled at that K)… */
  tinySide: z.number().int(),
  /** …because it is the K asked for, the default K_train, or the dataset's median short side (when smaller). */
  tinyBasis: z.enum(['requested', 'default-k', 'median']),
  skipped: Listing(z.object({ relPath: z.string(), reason: z.string() })),
  /** Per-channel mean/std of the pixels on 0..1 (for normalisation), null before a scan. */
  channelStats: z.object({ mean: z.array(z.number()), std: z.array(z.number()), images: z.number().int() }).nullable(),
});
export type Inspection = z.infer<typeof Inspection>;

export const ImageSummary = ImageRef.extend({
  status: z.enum(['pending', 'ok', 'unreadable']),
  error: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  format: z.string().nullable(),
});
export type ImageSummary = z.infer<typeof ImageSummary>;

/** An absolute folder path typed or picked by the user. */
export const FolderPath = z
  .string()
  .trim()
  .min(1, 'Choose a folder')
  .max(4096, 'Path is too long')
  .refine((p) => !p.includes('\0'), 'Path contains a NUL byte');

const ById = z.object({ id: DatasetId }).strict();
/** The K tiny images are judged against (default: tinyThreshold's rule). */
const TinyK = z.number().int().min(1).max(4096).optional();

/** One problem file of a dataset, as `fixres dataset problems --json` lists it. */
export const DatasetProblem = z.object({
  file: z.string(),
  kind: z.enum(['unreadable', 'duplicate', 'tiny', 'skipped']),
  reason: z.string(),
  className: z.string().nullable(),
  split: Split.nullable(),
  /** Duplicates: the content hash every file of one group shares. */
  group: z.string().nullable(),
  /** Duplicates: whether the group's copies sit in more than one class (label noise) or in train and val (a leak). */
  leak: z.array(z.enum(['across-classes', 'train-val'])),
});
export type DatasetProblem = z.infer<typeof DatasetProblem>;

export const datasetsApi = {
  'datasets.list': endpoint(z.object({}).strict(), z.array(Dataset)),
  'datasets.get': endpoint(ById, Dataset),
  /** A folder (ImageFolder layouts) or a .csv manifest file (`path,label[,split]`). */
  'datasets.open': endpoint(z.object({ root: FolderPath }).strict(), Dataset),
  'datasets.rescan': endpoint(ById, Dataset),
  'datasets.cancelScan': endpoint(ById, Dataset),
  'datasets.remove': endpoint(ById, z.object({ removed: z.boolean() })),
  'datasets.setSplit': endpoint(
    z
      .object({
        id: DatasetId,
        valFraction: z.number().min(0.01, 'at least 1 %').max(0.9, 'at most 90 %'),
        seed: Seed,
      })
      .strict(),
    Dataset,
  ),
  'datasets.inspection': endpoint(z.object({ id: DatasetId, k: TinyK }).strict(), Inspection),
  /** Every problem file (unreadable, duplicate, tiny at `k`, skipped), not only the first of each kind. */
  'datasets.problems': endpoint(z.object({ id: DatasetId, k: TinyK }).strict(), z.array(DatasetProblem)),
  'datasets.images': endpoint(
    z
      .object({
        id: DatasetId,
        className: z.string().max(1000).optional(),
        split: Split.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(200).default(60),
      })
      .strict(),
    z.object({ total: z.number().int(), images: z.array(ImageSummary) }),
  ),
  /** Grid thumbnails (WebP data URLs), cached on disk; null with the reason for an image that cannot be shown. */
  'datasets.thumbnails': endpoint(
    z.object({ imageIds: z.array(ImageId).min(1).max(100) }).strict(),
    z.array(z.object({ imageId: ImageId, dataUrl: z.string().nullable(), error: z.string().nullable() })),
  ),
  /** A large view of one image (longer side ≤ maxSide). */
  'datasets.preview': endpoint(
    z.object({ imageId: ImageId, maxSide: z.number().int().min(64).max(2048).default(1024) }).strict(),
    z.object({ dataUrl: z.string(), width: z.number().int(), height: z.number().int() }),
  ),
  /** Generates a built-in dataset into the data folder (once) and opens it. */
  'datasets.trySample': endpoint(z.object({ kind: SampleKind }).strict(), Dataset),
  /** Stops a built-in dataset being generated (its trySample fails as cancelled); false when none was. */
  'datasets.cancelSample': endpoint(z.object({ kind: SampleKind }).strict(), z.object({ cancelled: z.boolean() })),
};

/** A dataset left the list: forgotten, or a folder whose first scan found nothing to keep (`reason` says why). */
export const DatasetRemoved = z.object({ id: DatasetId, root: z.string().nullable(), reason: z.string().nullable() });
export type DatasetRemoved = z.infer<typeof DatasetRemoved>;

export const datasetsEvents = {
  'dataset.updated': Dataset,
  'dataset.removed': DatasetRemoved,
  'dataset.scanProgress': ScanProgress,
  'dataset.sampleProgress': SampleProgress,
};
