import type { Rng } from './rng';

export type JitterOp = 'brightness' | 'contrast' | 'saturation';

/** One draw of torchvision's ColorJitter(b, c, s): the order the ops run in and each blend factor. */
export interface JitterParams {
  order: JitterOp[];
  brightness: number;
  contrast: number;
  saturation: number;
}

const OPS: readonly JitterOp[] = ['brightness', 'contrast', 'saturation'];

/**
 * ColorJitter.get_params with one strength for all three ops: a random order, then each factor
 * uniform in [max(0, 1 − strength), 1 + strength]. Strength 0 means no jitter (null).
 */
export function sampleColourJitter(strength: number, rng: Rng): JitterParams | null {
  if (!(strength > 0)) return null;
  const order = rng.shuffle([...OPS]);
  const lo = Math.max(0, 1 - strength);
  const hi = 1 + strength;
  return {
    order,
    brightness: rng.uniformRange(lo, hi),
    contrast: rng.uniformRange(lo, hi),
    saturation: rng.uniformRange(lo, hi),
  };
}
