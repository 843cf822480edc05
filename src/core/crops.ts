import type { Rng } from './rng';

/** A crop in image pixels: x = left column, y = top row. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TrainCropSettings {
  /** Range of the crop's area as a fraction of the image's. torchvision default (0.08, 1). */
  scale: readonly [number, number];
  /** Range of the crop's aspect ratio w/h. torchvision default (3/4, 4/3). */
  ratio: readonly [number, number];
}

export const DEFAULT_SCALE: readonly [number, number] = [0.08, 1];
export const DEFAULT_RATIO: readonly [number, number] = [3 / 4, 4 / 3];
export const DEFAULT_CROP_PCT = 0.875;

/** A sampled train crop, and whether it came from the 10-attempt loop or the centre fallback. */
export interface TrainCrop extends Box {
  fallback: boolean;
}

/**
 * torchvision's RandomResizedCrop.get_params, step for step: up to 10 attempts of (area
 * fraction uniform in `scale`, log-aspect uniform in log `ratio`, w/h rounded half-to-even as
 * Python's round does, accepted if it fits, offsets uniform over valid positions), then a
 * centre crop clamped to the ratio range.
 */
export function sampleTrainCrop(width: number, height: number, settings: TrainCropSettings, rng: Rng): TrainCrop {
  const area = width * height;
  const logLo = Math.log(settings.ratio[0]);
  const logHi = Math.log(settings.ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * rng.uniformRange(settings.scale[0], settings.scale[1]);
    const aspect = Math.exp(rng.uniformRange(logLo, logHi));
    const w = roundHalfEven(Math.sqrt(targetArea * aspect));
    const h = roundHalfEven(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const y = rng.int(height - h + 1);
      const x = rng.int(width - w + 1);
      return { x, y, w, h, fallback: false };
    }
  }
  return { ...centreFallback(width, height, settings.ratio), fallback: true };
}

/**
 * The fewest pixels a train crop of a width × height image can span in either direction: an
 * accepted crop of aspect r and area a is round(sqrt(a·r)) wide and round(sqrt(a/r)) high, so
 * at least sqrt(smallest area) times the narrow side of the most extreme ratio, less half a pixel
 * of rounding; the centre fallback (long strips) can be narrower still.
 */
export function smallestTrainCropSide(width: number, height: number, settings: TrainCropSettings): number {
  const lo = Math.min(settings.ratio[0], settings.ratio[1]);
  const hi = Math.max(settings.ratio[0], settings.ratio[1]);
  const accepted = Math.sqrt(settings.scale[0] * width * height) * Math.min(Math.sqrt(lo), 1 / Math.sqrt(hi)) - 0.5;
  const fallback = centreFallback(width, height, settings.ratio);
  return Math.max(1, Math.min(accepted, fallback.w, fallback.h));
}

/**
 * The shorter side of the smallest copy of a width × height image from which every possible train
 * crop still spans ≥ k pixels each way (the whole image when its smallest crops are under k): one
 * pixel over the bound, since the copy's longer side is truncated (torchvision's Resize).
 */
export function detailCopyShortSide(width: number, height: number, settings: TrainCropSettings & { k: number }): number {
  const short = Math.min(width, height);
  return Math.min(short, Math.ceil((settings.k / smallestTrainCropSide(width, height, settings)) * short) + 1);
}

/** The crop torchvision falls back to after 10 failed attempts. */
export function centreFallback(width: number, height: number, ratio: readonly [number, number]): Box {
  const inRatio = width / height;
  const lo = Math.min(ratio[0], ratio[1]);
  const hi = Math.max(ratio[0], ratio[1]);
  let w = width;
  let h = height;
  if (inRatio < lo) h = roundHalfEven(w / lo);
  else if (inRatio > hi) w = roundHalfEven(h * hi);
  return { x: Math.floor((width - w) / 2), y: Math.floor((height - h) / 2), w, h };
}

/** The geometry of Resize(floor(K / crop_pct)) + CenterCrop(K) (torchvision / timm semantics). */
export interface TestTransform {
  /** Image size after the shorter-side resize. */
  resizedWidth: number;
  resizedHeight: number;
  /** The K×K crop in resized-image pixels. */
  cropInResized: Box;
  /** The same crop mapped back onto the original image (fractional pixels). */
  cropInImage: Box;
  /** Resize factor s_test = resized short side / original short side. */
  scale: number;
}

export function testTransform(width: number, height: number, k: number, cropPct = DEFAULT_CROP_PCT): TestTransform {
  const shortSide = Math.floor(k / cropPct);
  const [resizedWidth, resizedHeight] = resizeShorterSide(width, height, shortSide);
  const cropW = Math.min(k, resizedWidth);
  const cropH = Math.min(k, resizedHeight);
  const cropInResized = {
    x: roundHalfEven((resizedWidth - cropW) / 2),
    y: roundHalfEven((resizedHeight - cropH) / 2),
    w: cropW,
    h: cropH,
  };
  const sx = resizedWidth / width;
  const sy = resizedHeight / height;
  return {
    resizedWidth,
    resizedHeight,
    cropInResized,
    cropInImage: { x: cropInResized.x / sx, y: cropInResized.y / sy, w: cropW / sx, h: cropH / sy },
    scale: shortSide / Math.min(width, height),
  };
}

/** torchvision Resize(int): the shorter side becomes `size`, the longer one int(size · long / short). */
export function resizeShorterSide(width: number, height: number, size: number): [number, number] {
  if (width <= height) return [size, Math.floor((size * height) / width)];
  return [Math.floor((size * width) / height), size];
}

/** Python 3's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
