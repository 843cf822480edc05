import { detailCopyShortSide, resizeShorterSide } from '../../core/crops';
import type { FrozenRunConfig } from '../../shared/api/runs';
import type { DataSpec, TransformSpec } from '../../shared/jobs/data-spec';
import type { Db } from '../../store/db';
import { imageSizes, usableImages } from '../../store/images';
import { buildDataSpec } from '../datasets';

type TransformSettings = Pick<
  FrozenRunConfig,
  'augment' | 'kTrain' | 'scale' | 'ratio' | 'hflip' | 'jitter' | 'cropPct' | 'interpolation'
>;

/** The training transform: RandomResizedCrop at K_train, or FixRes DA1 (test transform) / DA2 (shifted centre crop). */
export function trainTransform(cfg: TransformSettings): TransformSpec {
  const { kTrain: k, interpolation } = cfg;
  if (cfg.augment === 'da1') return { kind: 'test', k, cropPct: cfg.cropPct, interpolation };
  if (cfg.augment === 'da2') return { kind: 'da2', k, cropPct: cfg.cropPct, maxShift: 1, jitter: cfg.jitter, interpolation };
  return { kind: 'train', k, scale: cfg.scale, ratio: cfg.ratio, hflip: cfg.hflip, jitter: cfg.jitter, interpolation };
}

/** The test transform at `k`: Resize(floor(k / crop_pct)) + CenterCrop(k). */
export function testTransform(cfg: Pick<FrozenRunConfig, 'cropPct' | 'interpolation'>, k: number): TransformSpec {
  return { kind: 'test', k, cropPct: cfg.cropPct, interpolation: cfg.interpolation };
}

/**
 * Decoded copies (MB): memory for the training images and for the validation images evaluated
 * every epoch; disk for training copies that do not fit in memory (beyond it they are decoded
 * again each epoch).
 */
export const RUN_CACHE_MB = { train: 1024, val: 256, trainDisk: 4096 } as const;

/**
 * A run's DataSpecs from its dataset's split: train images with the training transform, val
 * images (if any) with the test transform at K_test, both normalised as the config froze it,
 * both decoded once into the memory cache when the run asks for it (`decodeCache`; configs
 * stored before it existed lack it, and their specs — hashed into checkpoints — stay as they were).
 * With `spillDir`, training copies beyond the memory budget go to that folder, when their size
 * (from the scanned image sizes and the copy rule) fits the disk budget.
 * Training is always shuffled. DA1 trains with the test transform, whose default order is the
 * (class-sorted) file order: batches of one class make BatchNorm's batch statistics and running
 * averages useless, so DA1 asks for shuffling; the other transforms shuffle by default and their
 * specs stay as they were (a spec change would refuse to resume existing checkpoints).
 */
export function runDataSpecs(
  db: Db,
  datasetId: number,
  cfg: TransformSettings &
    Pick<FrozenRunConfig, 'kTest' | 'seed' | 'normalize'> & {
      normalizeValues?: DataSpec['normalize'];
      decodeCache?: boolean;
    },
  options: { spillDir?: string } = {},
): { train: DataSpec; val: DataSpec | null } {
  const normalize = cfg.normalizeValues ?? cfg.normalize;
  const cached = (spec: DataSpec, memoryMb: number, dir?: string): DataSpec =>
    cfg.decodeCache ? { ...spec, cache: { memoryMb, ...(dir ? { dir } : {}) } } : spec;
  const train = buildDataSpec(db, datasetId, {
    split: 'train',
    transform: trainTransform(cfg),
    seed: cfg.seed,
    normalize,
    ...(cfg.augment === 'da1' ? { shuffle: true } : {}),
  });
  const hasVal = usableImages(db, datasetId, 'val').length > 0;
  const val = hasVal
    ? buildDataSpec(db, datasetId, { split: 'val', transform: testTransform(cfg, cfg.kTest), seed: cfg.seed, normalize })
    : null;
  // The size estimate reads every image's size: only for a run that may spill.
  const spill =
    cfg.decodeCache && options.spillDir
      ? spillFolder(copiesMb(imageSizes(db, datasetId, 'train'), train.transform), options.spillDir)
      : undefined;
  return { train: cached(train, RUN_CACHE_MB.train, spill), val: val && cached(val, RUN_CACHE_MB.val) };
}

/** The decode cache's copies of images of these sizes under `transform` (run-data's default size rules), in MB. */
function copiesMb(sizes: { width: number; height: number; count: number }[], transform: TransformSpec): number {
  let bytes = 0;
  for (const { width, height, count } of sizes) {
    const short = Math.min(width, height);
    const side =
      transform.kind === 'train' ? detailCopyShortSide(width, height, transform) : Math.floor(transform.k / transform.cropPct);
    const [w, h] = side < short ? resizeShorterSide(width, height, side) : [width, height];
    bytes += w * h * 3 * count;
  }
  return bytes / 2 ** 20;
}

/** Where training copies spill: only when they overflow memory and fit the disk budget (else they are decoded again). */
export function spillFolder(decodedMb: number, spillDir: string | undefined, budget = RUN_CACHE_MB): string | undefined {
  return decodedMb > budget.train && decodedMb <= budget.trainDisk ? spillDir : undefined;
}
