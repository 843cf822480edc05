import { MaxPoolGrad, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { composite, type KernelScope } from './kernel-scope';
import { maxPoolGradInfo, type MaxPoolGradArgs } from './pool-geometry';

/**
 * MaxPool's gradient routed to the first maximum of each window, as the cpu backend does. wasm's
 * own MaxPoolGrad and MaxPoolWithArgmax start each window's running max at FLT_MIN (the smallest
 * positive float), so windows whose values are all ≤ 0 — common after ReLU — send the gradient to
 * the wrong element. Here the argmax is built from exact comparisons against the forward output:
 * taps are visited last to first and `Select` keeps the earliest one equal to the max; ScatterNd
 * then adds dy at those positions (overlapping windows sum, like the cpu kernel).
 */
export const maxPoolGrad = composite<MaxPoolGradArgs>('MaxPoolGrad', (scope, args) => {
  const { dy, input: x, output: y } = args.inputs;
  const info = maxPoolGradInfo(args);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  const bottom = Math.max(0, (oh - 1) * sh + kh - h - top);
  const right = Math.max(0, (ow - 1) * sw + kw - w - left);
  const padded = scope.run(
    'PadV2',
    { x },
    {
      paddings: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      constantValue: Number.NEGATIVE_INFINITY,
    },
  );
  const base = windowOriginIndex(scope, { n, h, w, c, oh, ow, sh, sw });
  let argmax: TensorInfo | null = null;
  for (let t = kh * kw - 1; t >= 0; t--) {
    const [i, j] = [Math.floor(t / kw), t % kw];
    const tap = scope.run(
      'StridedSlice',
      { x: padded },
      {
        begin: [0, i, j, 0],
        end: [n, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, c],
        strides: [1, sh, sw, 1],
        beginMask: 0,
        endMask: 0,
        ellipsisMask: 0,
        newAxisMask: 0,
        shrinkAxisMask: 0,
      },
    );
    const shift = scope.constant(Int32Array.of(((i - top) * w + (j - left)) * c), []);
    const tapIndex = scope.run('Add', { a: base, b: shift });
    argmax = argmax ? scope.run('Select', { condition: scope.run('Equal', { a: tap, b: y }), t: tapIndex, e: argmax }) : tapIndex;
  }
  const indices = scope.reshape(argmax!, [n * oh * ow * c, 1]);
  const updates = scope.reshape(dy, [n * oh * ow * c]);
  const flat = scope.run('ScatterNd', { indices, updates }, { shape: [n * h * w * c] });
  return scope.reshape(flat, [n, h, w, c]);
});

/** Flat index into x of each window's top-left tap (before padding), as an int32 [n, oh, ow, c] tensor. */
function windowOriginIndex(
  scope: KernelScope,
  d: { n: number; h: number; w: number; c: number; oh: number; ow: number; sh: number; sw: number },
): TensorInfo {
  const range = (length: number, step: number) => Int32Array.from({ length }, (_, k) => k * step);
  const batch = scope.constant(range(d.n, d.h * d.w * d.c), [d.n, 1, 1, 1]);
  const rows = scope.constant(range(d.oh, d.sh * d.w * d.c), [1, d.oh, 1, 1]);
  const cols = scope.constant(range(d.ow, d.sw * d.c), [1, 1, d.ow, 1]);
  const channels = scope.constant(range(d.c, 1), [1, 1, 1, d.c]);
  const grid = scope.run('Add', { a: scope.run('Add', { a: batch, b: rows }), b: cols });
  return scope.run('Add', { a: grid, b: channels });
}

/** Registers in place of wasm's MaxPoolGrad. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
