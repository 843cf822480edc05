import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradsOf, maxRelativeError, setUpBackends } from './compare-backends';

const TOLERANCE = 1e-4;
beforeAll(setUpBackends);

type Pad = 'same' | 'valid';
const cases = (
  [
    [3, 3],
    [1, 3],
    [5, 5],
  ] as [number, number][]
).flatMap((kernel) =>
  [1, 2].flatMap((stride) =>
    (['same', 'valid'] as Pad[]).flatMap((pad) =>
      [1, 2].map((multiplier) => ({
        kernel,
        stride,
        pad,
        multiplier,
        size: stride === 2 ? 8 : 7,
        batch: multiplier === 1 ? 1 : 2,
      })),
    ),
  ),
);

describe('wasm depthwise conv gradients match the cpu backend', () => {
  it.each(
    cases.map(
      (c) =>
        [`${c.kernel.join('×')} stride ${c.stride} ${c.pad} ×${c.multiplier}, ${c.size}×${c.size}, batch ${c.batch}`, c] as const,
    ),
  )('input and filter gradients %s', async (_, c) => {
    const err = await maxRelativeError(
      [
        { shape: [c.batch, c.size, c.size, 5], seed: 1 },
        { shape: [...c.kernel, 5, c.multiplier], seed: 2 },
      ],
      gradsOf((x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad), 3),
    );
    expect(err).toBeLessThan(TOLERANCE);
  });

  it('forward depthwise conv with a 1×3 kernel, stride 2, same on an even input', async () => {
    const err = await maxRelativeError(
      [
        { shape: [2, 8, 8, 5], seed: 4 },
        { shape: [1, 3, 5, 2], seed: 5 },
      ],
      (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'),
    );
    expect(err).toBeLessThan(TOLERANCE);
  });
});
