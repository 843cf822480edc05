import type { Box } from '../../../core/crops';
import type { Interpolation } from '../../../shared/jobs/data-spec';
import { axisCoefficients, FILTERS, PRECISION_BITS, type AxisCoefficients, type PassPlan } from './resample-coefficients';
import { wasmPasses } from './resample-wasm';
import type { RgbImage } from './rgb-image';

/** A fractional rectangle [x0, x1) × [y0, y1), as PIL's resize `box`. */
export interface FractionalBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface ResizeRequest {
  src: RgbImage;
  /** Integer rectangle of `src` treated as the whole input, like a PIL crop before the resize. */
  view: Box;
  /** Part of the view mapped onto the output (PIL's `box`, view coordinates); default the whole view. */
  box?: FractionalBox;
  outWidth: number;
  outHeight: number;
  /** Output pixels to compute (a CenterCrop of the resized image computes only its window). */
  window: Box;
  filter: Interpolation;
}

const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

function clip8(v: number): number {
  if (v >= ONE * 256) return 255;
  if (v <= 0) return 0;
  return v >> PRECISION_BITS;
}

/**
 * Resizes part of an RGB image the way Pillow's Image.resize does (separable convolution with
 * the filter widened by the downscale factor, i.e. antialiased; fixed-point like PIL's 8-bit
 * path), computing only `window` of the output. `nearest` follows PIL's affine nearest sampling.
 * Bilinear and bicubic run in WebAssembly SIMD where available (bit-identical to the reference).
 */
export function resizeRgb(request: ResizeRequest): Uint8Array {
  return resize(request, (plan) => wasmPasses(plan) ?? typescriptPasses(plan));
}

/** resizeRgb with both passes in TypeScript: the reference the WebAssembly passes are tested against, and their fallback. */
export function resizeRgbReference(request: ResizeRequest): Uint8Array {
  return resize(request, typescriptPasses);
}

function resize(request: ResizeRequest, passes: (plan: PassPlan) => Uint8Array): Uint8Array {
  const { src, view, outWidth, outHeight, window } = request;
  const box = request.box ?? { x0: 0, y0: 0, x1: view.w, y1: view.h };
  if (window.w <= 0 || window.h <= 0) return new Uint8Array(0);
  if (request.filter === 'nearest') return nearest(request, box);
  const filter = FILTERS[request.filter];
  // A pass at scale 1 over the whole view is an exact copy (PIL skips it too): the cached test path.
  const sameWidth = box.x0 === 0 && box.x1 === view.w && outWidth === view.w;
  const sameHeight = box.y0 === 0 && box.y1 === view.h && outHeight === view.h;
  if (sameWidth && sameHeight) return copyWindow(src, view.x + window.x, view.y + window.y, window.w, window.h);
  // PIL passes the box to C as single-precision floats.
  const f = Math.fround;
  const horiz = axisCoefficients(view.w, f(box.x0), f(box.x1), outWidth, window.x, window.w, filter);
  const vert = axisCoefficients(view.h, f(box.y0), f(box.y1), outHeight, window.y, window.h, filter);
  const rowFirst = vert.first[0]!;
  const rows = vert.first[window.h - 1]! + vert.taps[window.h - 1]! - rowFirst;
  // The horizontal pass runs over only the source rows the vertical pass reads.
  return passes({ src, x0: view.x, y0: view.y + rowFirst, rowFirst, rows, horiz, vert });
}

function typescriptPasses(plan: PassPlan): Uint8Array {
  const temp = horizontalPass(plan.src, plan.x0, plan.y0, plan.rows, plan.horiz);
  return verticalPass(temp, plan.horiz.first.length * 3, plan.rowFirst, plan.vert);
}

function copyWindow(src: RgbImage, x: number, y: number, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let r = 0; r < h; r++)
    out.set(src.data.subarray(((y + r) * src.width + x) * 3, ((y + r) * src.width + x + w) * 3), r * w * 3);
  return out;
}

function horizontalPass(src: RgbImage, x0: number, y0: number, rows: number, axis: AxisCoefficients): Uint8Array {
  const { first, taps, weights, kernelSize } = axis;
  const data = src.data;
  const outW = first.length;
  const temp = new Uint8Array(rows * outW * 3);
  const srcStride = src.width * 3;
  let o = 0;
  for (let r = 0; r < rows; r++) {
    const rowStart = (y0 + r) * srcStride + x0 * 3;
    for (let i = 0; i < outW; i++) {
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      let k = i * kernelSize;
      let p = rowStart + first[i]! * 3;
      const end = p + taps[i]! * 3;
      for (; p < end; p += 3, k++) {
        // Int32 arithmetic on purpose (sums stay below 2^31, as in PIL's C): V8 keeps it in registers.
        const w = weights[k]!;
        s0 = (s0 + Math.imul(data[p]!, w)) | 0;
        s1 = (s1 + Math.imul(data[p + 1]!, w)) | 0;
        s2 = (s2 + Math.imul(data[p + 2]!, w)) | 0;
      }
      temp[o++] = clip8(s0);
      temp[o++] = clip8(s1);
      temp[o++] = clip8(s2);
    }
  }
  return temp;
}

/** Vertical pass, accumulating whole rows (sequential memory access) in fixed point. */
function verticalPass(temp: Uint8Array, stride: number, rowFirst: number, axis: AxisCoefficients): Uint8Array {
  const { first, taps, weights, kernelSize } = axis;
  const outH = first.length;
  const out = new Uint8Array(outH * stride);
  const acc = new Int32Array(stride);
  for (let j = 0; j < outH; j++) {
    acc.fill(HALF);
    const k0 = j * kernelSize;
    const firstRow = first[j]! - rowFirst;
    for (let t = 0, n = taps[j]!; t < n; t++) {
      const w = weights[k0 + t]!;
      const rowStart = (firstRow + t) * stride;
      for (let c = 0; c < stride; c++) acc[c] = (acc[c]! + Math.imul(temp[rowStart + c]!, w)) | 0;
    }
    const o = j * stride;
    for (let c = 0; c < stride; c++) out[o + c] = clip8(acc[c]!);
  }
  return out;
}

function nearest(request: ResizeRequest, box: FractionalBox): Uint8Array {
  const { src, view, outWidth, outHeight, window } = request;
  const sx = (box.x1 - box.x0) / outWidth;
  const sy = (box.y1 - box.y0) / outHeight;
  const out = new Uint8Array(window.w * window.h * 3);
  for (let j = 0; j < window.h; j++) {
    const y = Math.min(view.h - 1, Math.max(0, Math.floor(box.y0 + (window.y + j + 0.5) * sy)));
    for (let i = 0; i < window.w; i++) {
      const x = Math.min(view.w - 1, Math.max(0, Math.floor(box.x0 + (window.x + i + 0.5) * sx)));
      const p = ((view.y + y) * src.width + view.x + x) * 3;
      const o = (j * window.w + i) * 3;
      out[o] = src.data[p]!;
      out[o + 1] = src.data[p + 1]!;
      out[o + 2] = src.data[p + 2]!;
    }
  }
  return out;
}
