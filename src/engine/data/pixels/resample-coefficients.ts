import type { RgbImage } from './rgb-image';

// PIL's Resample.c works in fixed point with 22 fractional bits and rounds to 8 bits between passes.
export const PRECISION_BITS = 22;
const ONE = 1 << PRECISION_BITS;

/** PIL's bilinear (triangle) and bicubic (a = −0.5) filters with their supports at scale 1. */
export const FILTERS = {
  bilinear: { support: 1, weight: (x: number) => (x < 0 ? (x > -1 ? 1 + x : 0) : x < 1 ? 1 - x : 0) },
  bicubic: { support: 2, weight: bicubic },
};

function bicubic(t: number): number {
  const a = -0.5;
  const x = Math.abs(t);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/** Per output pixel: first input index, number of taps, and fixed-point weights (PIL precompute_coeffs). */
export interface AxisCoefficients {
  first: Int32Array;
  taps: Int32Array;
  weights: Int32Array;
  kernelSize: number;
}

/** The two convolution passes' input: the source rows the vertical pass reads, and both axes' coefficients. */
export interface PassPlan {
  src: RgbImage;
  /** Source column of the view's left edge (horizontal `first` indices count from it). */
  x0: number;
  /** Source row of the first row read: the view's top plus `rowFirst`. */
  y0: number;
  /** First view row read; vertical `first` indices count from the view's top, so `first − rowFirst` is a row of the horizontal pass's output. */
  rowFirst: number;
  rows: number;
  horiz: AxisCoefficients;
  vert: AxisCoefficients;
}

/** PIL's precompute_coeffs for output pixels outFirst … outFirst + outCount − 1 of one axis. */
export function axisCoefficients(
  inSize: number,
  in0: number,
  in1: number,
  outSize: number,
  outFirst: number,
  outCount: number,
  filter: (typeof FILTERS)['bilinear'],
): AxisCoefficients {
  // in0/in1 are C floats in PIL: their difference is taken in single precision.
  const scale = Math.fround(in1 - in0) / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const kernelSize = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outCount);
  const taps = new Int32Array(outCount);
  const weights = new Int32Array(outCount * kernelSize);
  const raw = new Float64Array(kernelSize);
  const inverseScale = 1 / filterScale; // PIL multiplies by the reciprocal; dividing differs in the last bit
  for (let i = 0; i < outCount; i++) {
    const centre = in0 + (outFirst + i + 0.5) * scale;
    const xmin = Math.max(Math.trunc(centre - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(centre + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let x = 0; x < xmax; x++) {
      raw[x] = filter.weight((x + xmin - centre + 0.5) * inverseScale);
      total += raw[x]!;
    }
    for (let x = 0; x < xmax; x++) {
      const w = total !== 0 ? raw[x]! / total : raw[x]!;
      weights[i * kernelSize + x] = Math.trunc(w < 0 ? -0.5 + w * ONE : 0.5 + w * ONE);
    }
    first[i] = xmin;
    taps[i] = Math.max(xmax, 0);
  }
  return { first, taps, weights, kernelSize };
}
