import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { composite } from './kernel-scope';
import { convAxes, padAfter, type ConvAxis } from './conv-geometry';

interface Args {
  inputs: { x: TensorInfo; dy: TensorInfo };
  attrs: Conv2DBackpropFilterAttrs;
}

/**
 * dW of a 2-D convolution as forward convs on XNNPACK (wasm ships no kernel for it):
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, s·oh+kh−pad, s·ow+kw−pad, ci] · dy[n,oh,ow,co] is a conv of
 * x laid out as [ci, h, w, n] (input channels ci as the batch, n as the channels) with dy laid out
 * as [oh, ow, n, co] as the filter, dilated by the stride. Its output [ci, kh, kw, co] is dW up to
 * one transpose; the reduction over n·oh·ow runs in XNNPACK's GEMM micro-kernels.

 */
export const conv2dBackpropFilter = composite<Args>('Conv2DBackpropFilter', (scope, { inputs, attrs }) => {
  const { x, dy } = inputs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  const [h, w] = convAxes(info);
  // Seen from the filter-gradient conv: the input is x, the "kernel" is dy (outSize taps, dilated by
  // the stride). Rows of x no output reads (negative pad) are not cropped (a slow strided copy):
  // the conv then yields a few extra kernel positions, dropped from its small output.
  const after = { h: filterGradPadAfter(h), w: filterGradPadAfter(w) };
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [h.padBefore, Math.max(0, after.h)],
    [w.padBefore, Math.max(0, after.w)],
    [0, 0],
  ];
  const total = scope.run(
    'Conv2D',
    {
      x: scope.run('Transpose', { x }, { perm: [3, 1, 2, 0] }),
      filter: scope.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }),
    },
    { strides: 1, dilations: [h.stride, w.stride], pad, dataFormat: 'NHWC' },
  );
  const [inC, kh, kw, outC] = total.shape as [number, number, number, number];
  const exact =
    kh === info.filterHeight && kw === info.filterWidth
      ? total
      : scope.run('Slice', { x: total }, { begin: [0, 0, 0, 0], size: [inC, info.filterHeight, info.filterWidth, outC] });
  return scope.run('Transpose', { x: exact }, { perm: [1, 2, 0, 3] });
});

/** Padding after x so the dilated dy "kernel" yields exactly `kernel` outputs (negative: unread rows). */
function filterGradPadAfter(axis: ConvAxis): number {
  return padAfter({
    inSize: axis.inSize,
    outSize: axis.kernel,
    kernel: axis.outSize,
    stride: 1,
    dilation: axis.stride,
    padBefore: axis.padBefore,
  });
}

/** Registers the missing Conv2DBackpropFilter for wasm. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
