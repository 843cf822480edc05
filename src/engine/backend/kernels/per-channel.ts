import {
  Add,
  FusedBatchNorm,
  Multiply,
  Sub,
  util,
  type FusedBatchNormAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { allFinite } from './finite';
import { composite, KernelScope, rememberShippedKernel } from './kernel-scope';

/**
 * y = x·scale[c] + bias[c] over the last axis as ONE XNNPACK pass: a 1×1 depthwise conv (with
 * fused bias) over x seen as [1, rows, 1, channels]. wasm's broadcasting binary ops and its
 * FusedBatchNorm walk index arithmetic per element and are 3–10× slower on NHWC activations.
 * Each output is one multiply (and one add), as in the element-wise ops it replaces. Non-finite
 * per-channel operands take wasm's own kernels (see finite.ts); a NaN inside x itself comes out as
 * −∞ (XNNPACK's clamp), which is why only large 4-D activations take this path.
 */
export function perChannelAffine(
  scope: KernelScope,
  x: TensorInfo,
  { scale, bias }: { scale: TensorInfo | null; bias: TensorInfo | null },
): TensorInfo {
  const channels = x.shape[x.shape.length - 1]!;
  const rows = util.sizeFromShape(x.shape) / channels;
  const filter = scale
    ? scope.reshape(scale, [1, 1, channels, 1])
    : scope.constant(new Float32Array(channels).fill(1), [1, 1, channels, 1]);
  const out = scope.run(
    'FusedDepthwiseConv2D',
    { x: scope.reshape(x, [1, rows, 1, channels]), filter, ...(bias ? { bias: rankOne(scope, bias, channels) } : {}) },
    { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1, dimRoundingMode: 'floor', activation: 'linear' },
  );
  return scope.reshape(out, x.shape);
}

/**
 * A rank-1 copy: wasm checks the bias rank it stored for the data, which a reshape does not change
 * (scope.run reaches wasm's shipped, copying Identity, not our sharing one).
 */
function rankOne(scope: KernelScope, v: TensorInfo, channels: number): TensorInfo {
  return scope.run('Identity', { x: scope.reshape(v, [channels]) });
}

/** Below this many elements wasm's own kernels are fast enough (and keep NaN inside x as NaN). */
const MIN_ELEMENTS = 4096;

/** True when `v` broadcasts over every axis of `x` (an NHWC activation) but the last, along which it has x's length. */
function isChannelVector(x: TensorInfo, v: TensorInfo): boolean {
  const channels = x.shape[x.shape.length - 1]!;
  const size = util.sizeFromShape(v.shape);
  return (
    x.shape.length === 4 &&
    util.sizeFromShape(x.shape) >= MIN_ELEMENTS &&
    channels > 1 &&
    size === channels &&
    v.shape.length <= x.shape.length &&
    v.shape[v.shape.length - 1] === channels &&
    x.dtype === 'float32' &&
    v.dtype === 'float32'
  );
}

type BinaryArgs = { inputs: { a: TensorInfo; b: TensorInfo }; backend: unknown; attrs: Record<string, never> };

/** A binary op that takes the per-channel path when one side is a channel vector, else wasm's own kernel. */
function perChannelBinary(
  kernelName: string,
  apply: (scope: KernelScope, x: TensorInfo, v: TensorInfo, vectorIsA: boolean) => TensorInfo | null,
): KernelConfig {
  const fast = composite<BinaryArgs & { path: { x: TensorInfo; v: TensorInfo; vectorIsA: boolean } }>(
    kernelName,
    (scope, { path }) => apply(scope, path.x, path.v, path.vectorIsA)!,
  );
  const kernelFunc = (args: BinaryArgs) => {
    const { a, b } = args.inputs;
    if (isChannelVector(a, b) && allFinite(args.backend, b)) return fast({ ...args, path: { x: a, v: b, vectorIsA: false } });
    if (isChannelVector(b, a) && kernelName !== Sub && allFinite(args.backend, a)) {
      return fast({ ...args, path: { x: b, v: a, vectorIsA: true } });
    }
    return rememberShippedKernel(kernelName).kernelFunc(args as never);
  };
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** Multiply, Add and Sub of an NHWC activation with a per-channel vector. */
export const perChannelBinaryConfigs: KernelConfig[] = [
  perChannelBinary(Multiply, (scope, x, v) => perChannelAffine(scope, x, { scale: v, bias: null })),
  perChannelBinary(Add, (scope, x, v) => perChannelAffine(scope, x, { scale: null, bias: v })),
  perChannelBinary(Sub, (scope, x, v) => perChannelAffine(scope, x, { scale: null, bias: scope.run('Neg', { x: v }) })),
];

type BatchNormInputs = { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; offset?: TensorInfo; scale?: TensorInfo };

/**
 * FusedBatchNorm as one per-channel affine pass: a = scale·rsqrt(variance + ε), b = offset − mean·a
 * (tiny [C] ops), y = x·a + b. The batch-norm folding every inference runtime does.
 */
const batchNormAffine = composite<{ inputs: BatchNormInputs; attrs: FusedBatchNormAttrs }>(
  'FusedBatchNorm',
  (scope, { inputs, attrs }) => {
    const { x, mean, variance, offset, scale } = inputs;
    const epsilon = scope.constant(Float32Array.of(attrs.varianceEpsilon), []);
    let a = scope.run('Rsqrt', { x: scope.run('Add', { a: variance, b: epsilon }) });
    if (scale) a = scope.run('Multiply', { a, b: scale });
    let b = scope.run('Neg', { x: scope.run('Multiply', { a: mean, b: a }) });
    if (offset) b = scope.run('Add', { a: b, b: offset });
    return perChannelAffine(scope, x, { scale: a, bias: b });
  },
);

export const batchNormConfig: KernelConfig = {
  kernelName: FusedBatchNorm,
  backendName: 'wasm',
  kernelFunc: ((args: { inputs: BatchNormInputs; attrs: FusedBatchNormAttrs; backend: unknown }) => {
    const { x, mean, variance, offset, scale } = args.inputs;
    const statistics = [mean, variance, offset, scale].filter((t): t is TensorInfo => t !== undefined);
    const perChannel = mean.shape.length === 1 && isChannelVector(x, mean) && statistics.every((t) => allFinite(args.backend, t));
    return perChannel ? batchNormAffine(args) : rememberShippedKernel(FusedBatchNorm).kernelFunc(args as never);
  }) as unknown as KernelFunc,
};
