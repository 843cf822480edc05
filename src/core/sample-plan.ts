import type { TransformSpec } from '../shared/jobs/data-spec';
import { sampleColourJitter, type JitterParams } from './colour-jitter';
import { sampleTrainCrop, testTransform, type Box } from './crops';
import type { Rng } from './rng';

/**
 * Everything random about one sample, decided before any pixel is touched: read `region` of the
 * source image, resize it to outWidth × outHeight, keep `window` (K × K), then flip and jitter.
 */
export interface SamplePlan {
  /** Integer rectangle of the source image (train: the RandomResizedCrop box; test/da2: the whole image). */
  region: Box;
  outWidth: number;
  outHeight: number;
  /** The K × K part of the resized region that is kept. */
  window: Box;
  flip: boolean;
  jitter: JitterParams | null;
}

/** Plans one sample of an image of width × height under `transform`; all randomness comes from `rng`. */
export function planSample(width: number, height: number, transform: TransformSpec, rng: Rng): SamplePlan {
  const k = transform.k;
  if (transform.kind === 'train') {
    const { x, y, w, h } = sampleTrainCrop(width, height, transform, rng);
    const flip = transform.hflip && rng.uniform() < 0.5;
    return {
      region: { x, y, w, h },
      outWidth: k,
      outHeight: k,
      window: { x: 0, y: 0, w: k, h: k },
      flip,
      jitter: sampleColourJitter(transform.jitter, rng),
    };
  }
  const geometry = testTransform(width, height, k, transform.cropPct);
  const whole = { x: 0, y: 0, w: width, h: height };
  const base = { region: whole, outWidth: geometry.resizedWidth, outHeight: geometry.resizedHeight };
  if (transform.kind === 'test') return { ...base, window: geometry.cropInResized, flip: false, jitter: null };
  const window = shiftHorizontally(geometry.cropInResized, geometry.resizedWidth, transform.maxShift, rng);
  const flip = rng.uniform() < 0.5;
  return { ...base, window, flip, jitter: sampleColourJitter(transform.jitter, rng) };
}

/**
 * FixRes DA2: the centre crop moved left or right by up to `maxShift` of the free margin on
 * that side (uniform), so the object scale is the test one but the position varies a little.
 */
export function shiftHorizontally(centre: Box, resizedWidth: number, maxShift: number, rng: Rng): Box {
  const margin = resizedWidth - centre.w;
  const shift = Math.round(rng.uniformRange(-1, 1) * maxShift * (margin / 2));
  return { ...centre, x: Math.min(margin, Math.max(0, centre.x + shift)) };
}
