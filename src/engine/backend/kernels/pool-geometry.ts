import { backend_util, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs-core';

/** MaxPoolGrad's inputs and attributes as tfjs hands them to a kernel (any backend). */
export interface MaxPoolGradArgs {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  attrs: MaxPoolGradAttrs;
}

/** The forward max-pool's geometry (windows, strides, padding, output size) behind a MaxPoolGrad call. */
export function maxPoolGradInfo({ inputs, attrs }: MaxPoolGradArgs): backend_util.Conv2DInfo {
  return backend_util.computePool2DInfo(
    inputs.input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}
