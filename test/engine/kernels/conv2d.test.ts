import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradsOf, maxRelativeError, setUpBackends, TARGETS } from './compare-backends';

const TOLERANCE = 1e-4;
beforeAll(setUpBackends);

type Pad = 'same' | 'valid';
interface Case {
  kernel: [number, number];
  stride: number;
  pad: Pad;
  size: number;
  batch: number;
}

const kernels: [number, number][] = [
  [1, 1],
  [3, 3],
  [7, 7],
  [1, 3],
  [3, 1],
  [2, 3],
];
const cases: Case[] = kernels
  .flatMap((kernel) =>
    [1, 2].flatMap((stride) =>
      (['same', 'valid'] as Pad[]).flatMap((pad) =>
        [
          { size: 8, batch: 1 },
          { size: 9, batch: 3 },
        ].map(({ size, batch }) => ({ kernel, stride, pad, size, batch })),
      ),
    ),
  )
  .filter((c) => c.pad === 'same' || c.size >= c.kernel[0]);

/** SwiftShader compiles a shader per shape and runs it on the CPU: webgpu gets one size per kernel, stride and pad. */
const casesOn = (target: string) => (target === 'webgpu' ? cases.filter((c) => c.batch === 3) : cases);
const label = (c: Case) => `${c.kernel.join('×')} stride ${c.stride} ${c.pad}, ${c.size}×${c.size}, batch ${c.batch}`;
const IN = 3;
const OUT = 5;

describe.each(TARGETS)('%s conv2d kernels match the cpu backend', (target) => {
  it.each(casesOn(target).map((c) => [label(c), c] as const))('forward conv2d %s', async (_, c) => {
    const err = await maxRelativeError(
      [
        { shape: [c.batch, c.size, c.size, IN], seed: 1 },
        { shape: [...c.kernel, IN, OUT], seed: 2 },
      ],
      (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad),
      target,
    );
    expect(err).toBeLessThan(TOLERANCE);
  });

  it.each(casesOn(target).map((c) => [label(c), c] as const))('input and filter gradients %s', async (_, c) => {
    const err = await maxRelativeError(
      [
        { shape: [c.batch, c.size, c.size, IN], seed: 3 },
        { shape: [...c.kernel, IN, OUT], seed: 4 },
      ],
      gradsOf((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad), 5),
      target,
    );
    expect(err).toBeLessThan(TOLERANCE);
  });

  it('fused conv2d (bias + relu, as layers run inference) with a 1×3 kernel, stride 2, same', async () => {
    const err = await maxRelativeError(
      [
        { shape: [2, 8, 8, IN], seed: 6 },
        { shape: [1, 3, IN, OUT], seed: 7 },
        { shape: [OUT], seed: 8 },
      ],
      (x, w, b) =>
        tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 2, pad: 'same', bias: b, activation: 'relu' }),
      target,
    );
    expect(err).toBeLessThan(TOLERANCE);
  });

  it('gradients with unequal strides [1, 2] and an explicit numeric pad', async () => {
    const err = await maxRelativeError(
      [
        { shape: [2, 7, 8, IN], seed: 9 },
        { shape: [3, 3, IN, OUT], seed: 10 },
      ],
      gradsOf((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [1, 2], 1), 11),
      target,
    );
    expect(err).toBeLessThan(TOLERANCE);
  });
});
