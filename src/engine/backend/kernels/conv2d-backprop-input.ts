import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { composite, type KernelScope } from './kernel-scope';
import { convAxes, phasePlan, type PhasePlan } from './conv-geometry';
import { interleavePhases, phaseConvInput, phaseFilter } from './phase-conv';

interface Args {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  attrs: Conv2DBackpropInputAttrs;
}

/**
 * dx of a 2-D convolution as ONE forward conv of dy on XNNPACK: each of the stride² output phases
 * is a stride-1 conv with the taps of the flipped filter that land on it, the phases are the output
 * channels of a single kernel, and DepthToSpace interleaves them. wasm's shipped kernel is a scalar
 * loop; this runs on the same GEMM path as the forward pass.
 */
export const conv2dBackpropInput = composite<Args>('Conv2DBackpropInput', (scope, { inputs, attrs }) => {
  const { dy, filter } = inputs;
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new Error('Conv2DBackpropInput on wasm supports NHWC only');
  const [h, w] = convAxes(info);
  const planH = phasePlan(h);
  const planW = phasePlan(w);
  const kernel = phaseKernel(scope, filter, planH, planW);
  const { input, pad } = phaseConvInput(scope, dy, planH, planW);
  const phases = scope.run('Conv2D', { x: input, filter: kernel }, { strides: 1, dilations: 1, pad, dataFormat: 'NHWC' });
  return interleavePhases(scope, phases, planH, planW, info.inShape);
});

/** The shared kernel [windowH, windowW, outChannels, strideH·strideW·inChannels] holding every phase's taps. */
function phaseKernel(scope: KernelScope, filter: TensorInfo, planH: PhasePlan, planW: PhasePlan): TensorInfo {
  const [, , inC, outC] = filter.shape as [number, number, number, number];
  const values = phaseFilter(scope.backend.typedArrayFromHeap(filter) as Float32Array, filter.shape, planH, planW);
  return scope.constant(values, [planH.window, planW.window, outC, planH.stride * planW.stride * inC]);
}

/** Registers in place of wasm's scalar Conv2DBackpropInput. */
export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as KernelFunc,
};
