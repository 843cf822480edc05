import { z } from 'zod';
import { Interpolation } from '../hparams/fields';

export { Interpolation } from '../hparams/fields';

const Rgb = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);
const Range = z.tuple([z.number().finite(), z.number().finite()]);
const Side = z.number().int().positive();

/** DESIGN.md §1: train = RandomResizedCrop (+ flip, jitter); test = Resize(floor(K/crop_pct)) + CenterCrop(K); da2 = FixRes fine-tune augmentation. */
export const TransformSpec = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('train'),
      k: Side,
      scale: Range,
      ratio: Range,
      hflip: z.boolean(),
      /** Colour-jitter strength for brightness, contrast and saturation (0 = off). */
      jitter: z.number().finite().min(0),
      interpolation: Interpolation,
    })
    .strict(),
  z.object({ kind: z.literal('test'), k: Side, cropPct: z.number().gt(0).max(1), interpolation: Interpolation }).strict(),
  z
    .object({
      kind: z.literal('da2'),
      k: Side,
      cropPct: z.number().gt(0).max(1),
      /** Largest horizontal shift of the centre crop, as a fraction of the free margin (0..1). */
      maxShift: z.number().min(0).max(1),
      jitter: z.number().finite().min(0),
      interpolation: Interpolation,
    })
    .strict(),
]);
export type TransformSpec = z.infer<typeof TransformSpec>;

/**
 * The decoded-image cache. Crop geometry is unchanged (boxes are drawn on the original size);
 * the test transform's pixels are identical to decoding every time (the copy is exactly its
 * Resize). Train crops are resampled from the copy, which by default keeps every possible crop
 * at ≥ K pixels each way (images too small for a smaller copy are kept whole: identical pixels).
 */
export const DataCacheSpec = z
  .object({
    /**
     * Shorter side of the cached copy (never upscaled); 0 turns caching off. Default: test/da2
     * floor(K/crop_pct); train per image, the smallest that keeps every crop's detail. 'original'
     * keeps the decoded size: every transform at every K renders exactly the uncached pixels.
     */
    shortSide: z.union([z.number(), z.literal('original')]).optional(),
    /** In-memory budget for all workers together, in MB (default 1024). Beyond it copies are evicted, or spilled to `dir`. */
    memoryMb: z.number().finite().min(0).optional(),
    /** Folder for spilled copies; they are reused by later sources with the same shortSide (a persistent decode cache). */
    dir: z.string().optional(),
  })
  .strict();
export type DataCacheSpec = z.infer<typeof DataCacheSpec>;

export const DataItem = z.object({ relPath: z.string(), label: z.number().int() }).strict();
export type DataItem = z.infer<typeof DataItem>;

/**
 * What the engine needs to produce batches: the images, their labels and the transform. The lab
 * builds it from the store; the engine's data pipeline (src/engine/data) turns it into a
 * BatchSource. Everything random in it derives from `seed`.
 */
export const DataSpec = z
  .object({
    root: z.string().min(1),
    classNames: z.array(z.string()),
    /** Images (relative to root) and their label index into classNames. */
    items: z.array(DataItem),
    transform: TransformSpec,
    normalize: z.object({ mean: Rgb, std: Rgb }).strict(),
    seed: z.number().int(),
    /** Visit items in a seeded random order each epoch. Default: true for train/da2, false for test. */
    shuffle: z.boolean().optional(),
    /** Decode each image once into a (downscaled) copy and crop from it every epoch (see DataCacheSpec). */
    cache: DataCacheSpec.optional(),
  })
  .strict();
export type DataSpec = z.infer<typeof DataSpec>;

export const IMAGENET_NORMALIZE: DataSpec['normalize'] = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
