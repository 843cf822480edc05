import type { TransformSpec } from '../../src/shared/jobs/data-spec';

/** torchvision's defaults: RandomResizedCrop(k) + flip + the given jitter, bilinear. */
export function trainSpec(k: number, jitter = 0.2): TransformSpec {
  return { kind: 'train', k, scale: [0.08, 1], ratio: [3 / 4, 4 / 3], hflip: true, jitter, interpolation: 'bilinear' };
}

/** Resize(floor(k / 0.875)) + CenterCrop(k), bilinear. */
export function testSpec(k: number): TransformSpec {
  return { kind: 'test', k, cropPct: 0.875, interpolation: 'bilinear' };
}
