import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradsOf, maxRelativeError, onBothBackends, setUpBackends, TARGETS } from './compare-backends';

const TOLERANCE = 1e-4;
beforeAll(setUpBackends);

const windows = [
  { size: 3, stride: 2, pad: 'same' as const },
  { size: 2, stride: 2, pad: 'valid' as const },
  { size: 3, stride: 1, pad: 'same' as const },
  { size: 3, stride: 2, pad: 'valid' as const },
];
const inputs = [
  { name: 'random', map: undefined },
  { name: 'all ≤ 0', map: (v: number) => -Math.abs(v) },
  { name: 'after ReLU (ties at 0)', map: (v: number) => Math.max(0, v) },
];

describe.each(TARGETS)('%s max-pool gradient matches the cpu backend', (target) => {
  const cases = windows.flatMap((w) => inputs.flatMap((input) => [8, 9].map((size) => ({ ...w, input, hw: size }))));
  it.each(cases.map((c) => [`${c.size}×${c.size} stride ${c.stride} ${c.pad}, ${c.input.name}, ${c.hw}×${c.hw}`, c] as const))(
    '%s',
    async (_, c) => {
      const err = await maxRelativeError(
        [{ shape: [2, c.hw, c.hw, 3], seed: 1, map: c.input.map }],
        gradsOf((x) => tf.maxPool(x as tf.Tensor4D, c.size, c.stride, c.pad), 2),
        target,
      );
      expect(err).toBeLessThan(TOLERANCE);
    },
  );

  it('sends the whole gradient of an all-zero window to its first element', async () => {
    const { out } = await onBothBackends(
      [{ shape: [1, 2, 2, 1], seed: 1, map: () => 0 }],
      (x) => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), 3)))(x),
      target,
    );
    expect(Array.from(out[0]!)).toEqual([3, 0, 0, 0]);
  });
});
