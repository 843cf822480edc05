import type { Interpolation } from '../hparams/fields';

export type { Interpolation } from '../hparams/fields';

/**
 * What the engine needs to produce batches: the images, their labels and the transform. The lab
 * builds it from the store; the engine's data pipeline (src/engine/data) turns it into a
 * BatchSource. Everything random in it derives from `seed`.
 */
export interface DataSpec {
  root: string;
  classNames: string[];
  /** Images (relative to root) and their label index into classNames. */
  items: DataItem[];
  transform: TransformSpec;
  normalize: { mean: [number, number, number]; std: [number, number, number] };
  seed: number;
  /** Visit items in a seeded random order each epoch. Default: true for train/da2, false for test. */
  shuffle?: boolean;
  /** Decode each image once into a (downscaled) copy and crop from it every epoch (see DataCacheSpec). */
  cache?: DataCacheSpec;
}

/**
 * The decoded-image cache. Crop geometry is unchanged (boxes are drawn on the original size);
 * the test transform's pixels are identical to decoding every time (the copy is exactly its
 * Resize). Train crops are resampled from the copy, which by default keeps every possible crop
 * at ≥ K pixels each way (images too small for a smaller copy are kept whole: identical pixels).
 */
export interface DataCacheSpec {
  /**
   * Shorter side of the cached copy (never upscaled); 0 turns caching off. Default: test/da2
   * floor(K/crop_pct); train per image, the smallest that keeps every crop's detail. 'original'
   * keeps the decoded size: every transform at every K renders exactly the uncached pixels.
   */
  shortSide?: number | 'original';
  /** In-memory budget for all workers together, in MB (default 1024). Beyond it copies are evicted, or spilled to `dir`. */
  memoryMb?: number;
  /** Folder for spilled copies; they are reused by later sources with the same shortSide (a persistent decode cache). */
  dir?: string;
}

export interface DataItem {
  relPath: string;
  label: number;
}

/** DESIGN.md §1: train = RandomResizedCrop (+ flip, jitter); test = Resize(floor(K/crop_pct)) + CenterCrop(K); da2 = FixRes fine-tune augmentation. */
export type TransformSpec =
  | {
      kind: 'train';
      k: number;
      scale: [number, number];
      ratio: [number, number];
      hflip: boolean;
      /** Colour-jitter strength for brightness, contrast and saturation (0 = off). */
      jitter: number;
      interpolation: Interpolation;
    }
  | { kind: 'test'; k: number; cropPct: number; interpolation: Interpolation }
  | {
      kind: 'da2';
      k: number;
      cropPct: number;
      /** Largest horizontal shift of the centre crop, as a fraction of the free margin (0..1). */
      maxShift: number;
      jitter: number;
      interpolation: Interpolation;
    };

export const IMAGENET_NORMALIZE: DataSpec['normalize'] = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
