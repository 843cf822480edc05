import { sampleCropPreview, type CropPreview } from '../../../core/crop-preview';
import { numberBounds } from '../../../shared/hparams/introspect';
import { HParams } from '../../../shared/hparams/train';

/** The Crop Lab's controls: train/test pre-processing, seed and how many train crops to draw. */
export interface CropControls {
  kTrain: number;
  kTest: number;
  cropPct: number;
  scale: [number, number];
  ratio: [number, number];
  seed: number;
  n: number;
}

const seedBounds = numberBounds(HParams.shape.seed);

/** What the sliders span (the schema's limits are wider: these are the values worth looking at). */
export const CROP_LIMITS = {
  k: [8, 512],
  cropPct: [0.5, 1],
  scale: [0.01, 1],
  ratio: [0.2, 5],
  seed: [seedBounds.min!, seedBounds.max!],
  n: [1, 32],
} as const satisfies Record<string, readonly [number, number]>;

const hp = HParams.parse({});
/** The crop geometry training uses by default (HParams), at an ImageNet-like K so the boxes are easy to see. */
export const DEFAULT_CROP_CONTROLS: CropControls = {
  kTrain: 128,
  kTest: 128,
  cropPct: hp.cropPct,
  scale: hp.scale,
  ratio: hp.ratio,
  seed: hp.seed,
  n: 8,
};

const clamp = (v: number, [lo, hi]: readonly [number, number]) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo);

/**
 * Brings a change into range and keeps ranges ordered: moving a range's minimum above its
 * maximum drags the maximum along (and the other way round), so the sliders never disagree.
 */
export function normaliseControls(current: CropControls, patch: Partial<CropControls>): CropControls {
  const next = { ...current, ...patch };
  const pair = (key: 'scale' | 'ratio', limits: readonly [number, number]): [number, number] => {
    let [lo, hi] = [clamp(next[key][0], limits), clamp(next[key][1], limits)];
    if (lo > hi) {
      const movedMin = patch[key] !== undefined && patch[key]![0] !== current[key][0];
      if (movedMin) hi = lo;
      else lo = hi;
    }
    return [lo, hi];
  };
  return {
    kTrain: Math.round(clamp(next.kTrain, CROP_LIMITS.k)),
    kTest: Math.round(clamp(next.kTest, CROP_LIMITS.k)),
    cropPct: clamp(next.cropPct, CROP_LIMITS.cropPct),
    scale: pair('scale', CROP_LIMITS.scale),
    ratio: pair('ratio', CROP_LIMITS.ratio),
    seed: Math.round(clamp(next.seed, CROP_LIMITS.seed)),
    n: Math.round(clamp(next.n, CROP_LIMITS.n)),
  };
}

/** The controls as reactive state; boxes for an image size come straight from the core sampler. */
export class CropSettingsState {
  #controls = $state.raw<CropControls>({ ...DEFAULT_CROP_CONTROLS });

  get controls(): CropControls {
    return this.#controls;
  }

  update(patch: Partial<CropControls>): void {
    this.#controls = normaliseControls(this.#controls, patch);
  }

  /** N seeded train boxes and the test box for a W×H image (the same sampler training uses). */
  preview(width: number, height: number): CropPreview {
    const c = this.#controls;
    return sampleCropPreview(width, height, c, c.n, c.seed);
  }

  reset(): void {
    this.#controls = { ...DEFAULT_CROP_CONTROLS };
  }
}
