import {
  backend_util,
  Conv2D,
  DepthwiseConv2dNative,
  FusedConv2D,
  FusedDepthwiseConv2D,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { explicitPadding } from './conv-geometry';
import { rememberShippedKernel } from './kernel-scope';

type ConvAttrs = NamedAttrMap & {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/**
 * wasm's conv kernels with 'same' padding rewritten as explicit pads before they reach XNNPACK,
 * whose TensorFlow-SAME mode is wrong when a kernel side is shorter than the stride (1×3 or 3×1,
 * stride 2, even input: all zeros). The arithmetic is unchanged; only the padding is spelled out.
 */
function explicitPadConfig(kernelName: string, depthwise: boolean): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ((args: { inputs: { x: TensorInfo; filter: TensorInfo }; attrs: ConvAttrs; backend: unknown }) => {
      const shipped = rememberShippedKernel(kernelName);
      const { x, filter } = args.inputs;
      const { attrs } = args;
      if (attrs.pad !== 'same') return shipped.kernelFunc(args as never);
      const info = backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filter.shape as [number, number, number, number],
        attrs.strides,
        attrs.dilations,
        attrs.pad,
        attrs.dimRoundingMode,
        depthwise,
        backend_util.convertConv2DDataFormat(attrs.dataFormat),
      );
      return shipped.kernelFunc({ ...args, attrs: { ...attrs, pad: explicitPadding(info) } } as never);
    }) as unknown as KernelFunc,
  };
}

/** Conv2D, FusedConv2D and their depthwise forms, each delegating to wasm's shipped kernel. */
export const explicitPadConvConfigs: KernelConfig[] = [
  explicitPadConfig(Conv2D, false),
  explicitPadConfig(FusedConv2D, false),
  explicitPadConfig(DepthwiseConv2dNative, true),
  explicitPadConfig(FusedDepthwiseConv2D, true),
];
