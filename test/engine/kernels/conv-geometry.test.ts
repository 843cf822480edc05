import { describe, expect, it } from 'vitest';
import { padAfter, phaseInputPads, phasePlan } from '../../../src/engine/backend/kernels/conv-geometry';

const axis = (o: { inSize: number; kernel: number; stride: number; padBefore: number; outSize: number }) => ({
  dilation: 1,
  ...o,
});

describe('phase decomposition of a convolution’s input gradient', () => {
  it('is the flipped kernel, padded by kernel − 1 − pad, at stride 1', () => {
    const plan = phasePlan(axis({ inSize: 8, outSize: 8, kernel: 3, stride: 1, padBefore: 1 }));
    expect(plan).toMatchObject({ stride: 1, window: 3, taps: [[2, 1, 0]], offset: -1, phaseLength: 8 });
    expect(phaseInputPads(plan, 8)).toEqual({ before: 1, after: 1 });
  });

  it('splits a 3-tap kernel at stride 2 (TF same on an even input: no pad before) into phases of 2 and 1 taps', () => {
    const plan = phasePlan(axis({ inSize: 8, outSize: 4, kernel: 3, stride: 2, padBefore: 0 }));
    // dx[2a] = dy[a]·w0 + dy[a−1]·w2; dx[2a+1] = dy[a]·w1 (window positions t: dy[a − 1 + t]).
    expect(plan).toMatchObject({
      window: 2,
      offset: -1,
      phaseLength: 4,
      taps: [
        [2, 0],
        [-1, 1],
      ],
    });
    expect(phaseInputPads(plan, 4)).toEqual({ before: 1, after: 0 });
  });

  it('gives the phases of a strided 1×1 kernel with no taps nothing but zeros', () => {
    const plan = phasePlan(axis({ inSize: 9, outSize: 5, kernel: 1, stride: 2, padBefore: 0 }));
    expect(plan).toMatchObject({ window: 1, taps: [[0], [-1]], phaseLength: 5 });
  });

  it('knows when the forward pass never read the last rows (negative pad after)', () => {
    expect(padAfter(axis({ inSize: 8, outSize: 4, kernel: 1, stride: 2, padBefore: 0 }))).toBe(-1);
    expect(padAfter(axis({ inSize: 8, outSize: 4, kernel: 3, stride: 2, padBefore: 0 }))).toBe(1);
  });
});
