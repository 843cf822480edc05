import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { convAxes, padAfter, phasePlan } from './conv-geometry';
import { composite } from './kernel-scope';
import { depthwisePhaseFilter, interleavePhases, phaseConvInput } from './phase-conv';

type Shape4 = [number, number, number, number];

function depthwiseInfo(
  inShape: Shape4,
  filterShape: Shape4,
  attrs: { strides: [number, number] | number; dilations: [number, number] | number } & Pick<
    DepthwiseConv2dNativeBackpropInputAttrs,
    'pad' | 'dimRoundingMode'
  >,
): backend_util.Conv2DInfo {
  const info = backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    throw new Error('Depthwise conv gradients on wasm support dilation 1 only (as tfjs does)');
  }
  return info;
}

/**
 * Depthwise dx as one depthwise conv of dy on XNNPACK, with the same phase decomposition as
 * Conv2DBackpropInput: the stride² phases become a channel multiplier, multiplier channels of the
 * forward filter are summed, DepthToSpace interleaves the phases.
 */
export const depthwiseBackpropInput = composite<{
  inputs: { dy: TensorInfo; filter: TensorInfo };
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}>('DepthwiseConv2dNativeBackpropInput', (scope, { inputs, attrs }) => {
  const { dy, filter } = inputs;
  const [, , inC, mult] = filter.shape as Shape4;
  const info = depthwiseInfo(attrs.inputShape, filter.shape as Shape4, attrs);
  const [h, w] = convAxes(info);
  const planH = phasePlan(h);
  const planW = phasePlan(w);
  const phases = planH.stride * planW.stride;
  const values = depthwisePhaseFilter(scope.backend.typedArrayFromHeap(filter) as Float32Array, filter.shape, planH, planW);
  const kernel = scope.constant(values, [planH.window, planW.window, inC * mult, phases]);
  const { input, pad } = phaseConvInput(scope, dy, planH, planW);
  const conv = scope.run(
    'DepthwiseConv2dNative',
    { x: input, filter: kernel },
    { strides: 1, dilations: 1, pad, dataFormat: 'NHWC' },
  );
  const [n, a, b] = conv.shape as Shape4;
  let perChannel = scope.reshape(conv, [n, a, b, inC, mult, phases]);
  if (mult > 1) perChannel = scope.run('Sum', { x: perChannel }, { axis: [4], keepDims: false });
  const phaseMajor = scope.run('Transpose', { x: scope.reshape(perChannel, [n, a, b, inC, phases]) }, { perm: [0, 1, 2, 4, 3] });
  return interleavePhases(scope, scope.reshape(phaseMajor, [n, a, b, phases * inC]), planH, planW, info.inShape);
});

/**
 * Depthwise dW: for each tap, the strided window of x times dy summed over batch and positions
 * (Multiply + Sum on wasm). Depthwise filters are tiny, so kh·kw small reductions are cheap.
 */
export const depthwiseBackpropFilter = composite<{
  inputs: { x: TensorInfo; dy: TensorInfo };
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}>('DepthwiseConv2dNativeBackpropFilter', (scope, { inputs, attrs }) => {
  const { x, dy } = inputs;
  const [kh, kw, inC, mult] = attrs.filterShape;
  const info = depthwiseInfo(x.shape as Shape4, attrs.filterShape, attrs);
  const [h, w] = convAxes(info);
  const padded = scope.run(
    'PadV2',
    { x },
    {
      paddings: [
        [0, 0],
        [h.padBefore, Math.max(0, padAfter(h))],
        [w.padBefore, Math.max(0, padAfter(w))],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const n = info.batchSize;
  const dyByMult = scope.reshape(dy, [n, info.outHeight, info.outWidth, inC, mult]);
  const taps: TensorInfo[] = [];
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) {
      const window = scope.run(
        'StridedSlice',
        { x: padded },
        {
          begin: [0, i, j, 0],
          end: [n, i + (info.outHeight - 1) * h.stride + 1, j + (info.outWidth - 1) * w.stride + 1, inC],
          strides: [1, h.stride, w.stride, 1],
          beginMask: 0,
          endMask: 0,
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        },
      );
      const product = scope.run('Multiply', {
        a: scope.reshape(window, [n, info.outHeight, info.outWidth, inC, 1]),
        b: dyByMult,
      });
      taps.push(scope.run('Sum', { x: product }, { axis: [0, 1, 2], keepDims: false }));
    }
  // wasm's Pack takes its inputs as an array.
  const stacked = scope.run('Pack', taps as unknown as NamedTensorInfoMap, { axis: 0 });
  return scope.reshape(stacked, [kh, kw, inC, mult]);
});

/** Registers the two depthwise gradient kernels wasm lacks. */
export const depthwiseBackpropConfigs: KernelConfig[] = [
  {
    kernelName: DepthwiseConv2dNativeBackpropInput,
    backendName: 'wasm',
    kernelFunc: depthwiseBackpropInput as unknown as KernelFunc,
  },
  {
    kernelName: DepthwiseConv2dNativeBackpropFilter,
    backendName: 'wasm',
    kernelFunc: depthwiseBackpropFilter as unknown as KernelFunc,
  },
];
