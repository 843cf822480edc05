import { Mean, Sum, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { allFinite } from './finite';
import { composite, rememberShippedKernel } from './kernel-scope';

interface ReduceArgs {
  inputs: { x: TensorInfo };
  attrs: { axis: number | number[]; keepDims: boolean };
  backend: unknown;
}

/** The number of leading axes reduced, when the reduction is exactly axes 0…k−1 (k < rank) of a float tensor. */
function leadingAxes(x: TensorInfo, axis: number | number[]): number | null {
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + x.shape.length : a)).sort((p, q) => p - q);
  const contiguous = axes.every((a, i) => a === i);
  return contiguous && axes.length >= 1 && axes.length < x.shape.length && x.dtype === 'float32' ? axes.length : null;
}

/**
 * Sum or mean over the leading axes of an NHWC tensor (per-channel statistics: BN moments, bias
 * and BN-parameter gradients) through XNNPACK's average pooling, which reads channels-last data in
 * one vectorised pass. wasm's Sum/Mean first transpose the reduced axes innermost, then loop.
 * Batch first, then positions: each image is pooled on its own, the per-image results summed.
 */
function leadingAxesReduce(kernelName: typeof Sum | typeof Mean): KernelConfig {
  const pooled = composite<ReduceArgs & { k: number }>(kernelName, (scope, { inputs: { x }, attrs, k }) => {
    const reduced = util.sizeFromShape(x.shape.slice(0, k));
    const kept = util.sizeFromShape(x.shape.slice(k));
    const outShape = attrs.keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k);
    const outer = k > 1 ? x.shape[0]! : 1;
    const inner = reduced / outer;
    const pool = scope.run(
      'AvgPool',
      { x: scope.reshape(x, [outer, inner, 1, kept]) },
      { filterSize: [inner, 1], strides: 1, pad: 'valid', dimRoundingMode: 'floor' },
    );
    // Σ over images of per-image means; a Mean divides by the image count, a Sum multiplies by the pixels per image.
    const perImage = scope.reshape(pool, [outer, kept]);
    const across =
      outer > 1 ? scope.run('Sum', { x: perImage }, { axis: [0], keepDims: false }) : scope.reshape(perImage, [kept]);
    const factor = kernelName === Sum ? inner : 1 / outer;
    const scaled = factor === 1 ? across : scope.run('Multiply', { a: across, b: scope.constant(Float32Array.of(factor), []) });
    return scope.reshape(scaled, outShape);
  });
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ((args: ReduceArgs) => {
      const k = leadingAxes(args.inputs.x, args.attrs.axis);
      const shipped = () => rememberShippedKernel(kernelName).kernelFunc(args as never) as TensorInfo;
      if (k === null) return shipped();
      const result = pooled({ ...args, k });
      if (allFinite(args.backend, result)) return result;
      // XNNPACK's pooling turned a NaN or ±∞ into −∞: let the scalar kernel say what it really is.
      (args.backend as { disposeData(id: object): void }).disposeData(result.dataId);
      return shipped();
    }) as unknown as KernelFunc,
  };
}

/** Sum and Mean over leading axes on XNNPACK average pooling. */
export const leadingAxesReduceConfigs: KernelConfig[] = [leadingAxesReduce(Sum), leadingAxesReduce(Mean)];
