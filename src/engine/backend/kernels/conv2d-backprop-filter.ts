import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { composite, type KernelScope } from './kernel-scope';
import { convAxes, explicitPadding, padAfter, type ConvAxis } from './conv-geometry';

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
  if (info.filterHeight === 1 && info.filterWidth === 1 && (h.stride > 1 || w.stride > 1)) {
    // A strided 1×1 conv reads every s-th pixel only: pick those (a strided 1×1 conv with an identity
    // filter), then it is a stride-1 filter gradient with no wasted positions.
    const inC = info.inChannels;
    const identity = scope.constant(identityFilter(inC), [1, 1, inC, inC]);
    const picked = scope.run(
      'Conv2D',
      { x, filter: identity },
      { strides: [h.stride, w.stride], dilations: 1, pad: explicitPadding(info), dataFormat: 'NHWC' },
    );
    return filterGradConv(scope, picked, dy, [1, 1], NO_PAD);
  }
  // Seen from the filter-gradient conv: the input is x, the "kernel" is dy (outSize taps, dilated by
  // the stride). Rows of x no output reads (negative pad) are not cropped (a slow strided copy):
  // the conv then yields a few extra kernel positions, dropped from its small output.
  const after = { h: filterGradPadAfter(h), w: filterGradPadAfter(w) };
  const pad: Pads = [
    [0, 0],
    [h.padBefore, Math.max(0, after.h)],
    [w.padBefore, Math.max(0, after.w)],
    [0, 0],
  ];
  const total = filterGradConv(scope, x, dy, [h.stride, w.stride], pad, false);
  const [inC, kh, kw, outC] = total.shape as [number, number, number, number];
  const exact =
    kh === info.filterHeight && kw === info.filterWidth
      ? total
      : scope.run('Slice', { x: total }, { begin: [0, 0, 0, 0], size: [inC, info.filterHeight, info.filterWidth, outC] });
  return scope.run('Transpose', { x: exact }, { perm: [1, 2, 0, 3] });
});

type Pads = [[number, number], [number, number], [number, number], [number, number]];
const NO_PAD: Pads = [
  [0, 0],
  [0, 0],
  [0, 0],
  [0, 0],
];

/** The conv above: x as [ci, h, w, n] against dy as an [oh, ow, n, co] filter; dW layout unless `raw`. */
function filterGradConv(
  scope: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  dilations: [number, number],
  pad: Pads,
  finish = true,
): TensorInfo {
  const byChannel = scope.run(
    'Conv2D',
    {
      x: scope.run('Transpose', { x }, { perm: [3, 1, 2, 0] }),
      filter: scope.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }),
    },
    { strides: 1, dilations, pad, dataFormat: 'NHWC' },
  );
  return finish ? scope.run('Transpose', { x: byChannel }, { perm: [1, 2, 0, 3] }) : byChannel;
}

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

function identityFilter(channels: number): Float32Array {
  const values = new Float32Array(channels * channels);
  for (let c = 0; c < channels; c++) values[c * channels + c] = 1;
  return values;
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
