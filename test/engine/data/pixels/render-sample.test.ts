import { describe, expect, it } from 'vitest';
import { sampleStream } from '../../../../src/core/epoch-order';
import { planSample } from '../../../../src/core/sample-plan';
import { renderSample } from '../../../../src/engine/data/pixels/render-sample';
import type { Interpolation, TransformSpec } from '../../../../src/shared/jobs/data-spec';
import { noiseImage } from '../../../fixtures/reference/resize-cases';

const transforms = (k: number, interpolation: Interpolation): TransformSpec[] => [
  { kind: 'test', k, cropPct: 0.875, interpolation },
  { kind: 'train', k, scale: [0.08, 1], ratio: [3 / 4, 4 / 3], hflip: true, jitter: 0.2, interpolation },
  { kind: 'da2', k, cropPct: 0.875, maxShift: 1, jitter: 0.2, interpolation },
];

describe('renderSample', () => {
  it('renders a copy at the original size (scale 1) exactly as the image itself, for every transform, filter and K', () => {
    let checked = 0;
    for (const [width, height] of [
      [53, 37],
      [30, 64],
      [41, 41],
    ] as const) {
      const image = { data: noiseImage(width, height, width * height), width, height };
      for (const interpolation of ['bilinear', 'bicubic', 'nearest'] as const)
        for (const k of [8, 24, 56])
          for (const transform of transforms(k, interpolation))
            for (let index = 0; index < 4; index++) {
              const plan = planSample(width, height, transform, sampleStream(7, 0, index));
              const direct = renderSample(image, plan, interpolation);
              const viaCopy = renderSample(image, plan, interpolation, { x: 1, y: 1 });
              expect(viaCopy).toEqual(direct);
              checked++;
            }
    }
    expect(checked).toBe(3 * 3 * 3 * 3 * 4);
  });
});
