import type { backend_util } from '@tensorflow/tfjs-core';

type Conv2DInfo = backend_util.Conv2DInfo;
type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/** One spatial axis of a 2-D convolution, as the forward pass saw it. */
export interface ConvAxis {
  /** Input length (the length of dx). */
  inSize: number;
  /** Output length (the length of dy). */
  outSize: number;
  kernel: number;
  stride: number;
  dilation: number;
  /** Zero padding before the first input element. */
  padBefore: number;
}

/** The two spatial axes of a convolution described by tfjs's Conv2DInfo. */
export function convAxes(info: Conv2DInfo): [ConvAxis, ConvAxis] {
  return [
    {
      inSize: info.inHeight,
      outSize: info.outHeight,
      kernel: info.filterHeight,
      stride: info.strideHeight,
      dilation: info.dilationHeight,
      padBefore: info.padInfo.top,
    },
    {
      inSize: info.inWidth,
      outSize: info.outWidth,
      kernel: info.filterWidth,
      stride: info.strideWidth,
      dilation: info.dilationWidth,
      padBefore: info.padInfo.left,
    },
  ];
}

/**
 * Padding after the input that makes the forward conv produce exactly `outSize` outputs; negative
 * when trailing inputs are never read (they must be cropped instead).
 */
export function padAfter(axis: ConvAxis): number {
  const span = (axis.kernel - 1) * axis.dilation + 1;
  return (axis.outSize - 1) * axis.stride + span - axis.inSize - axis.padBefore;
}

/**
 * The same convolution with every pad written out. wasm's Conv2D hands 'same' to XNNPACK's
 * TensorFlow-SAME mode, which returns zeros when a kernel side is shorter than its stride on an
 * even input (1×3, stride 2); explicit pads take XNNPACK's plain path, which is correct.
 */
export function explicitPadding(info: Conv2DInfo): ExplicitPadding {
  const [h, w] = convAxes(info);
  return [
    [0, 0],
    [h.padBefore, Math.max(0, padAfter(h))],
    [w.padBefore, Math.max(0, padAfter(w))],
    [0, 0],
  ];
}

/**
 * How to compute dx along one axis as a stride-1 convolution of dy per output phase
 * (dx[stride·a + p] for p = 0…stride−1), all phases sharing one kernel window so they run as a
 * single conv whose output channels are the phases. No multiply lands on an inserted zero, unlike
 * the zero-insertion ("dilate dy") formulation.
 */
export interface PhasePlan {
  stride: number;
  /** Window length of the shared stride-1 kernel. */
  window: number;
  /** taps[p][t]: the forward kernel tap that window position t applies for phase p, or −1. */
  taps: number[][];
  /** Offset into dy of window position 0 (dy index = a + offset + t); negative = pad dy before. */
  offset: number;
  /** Rows per phase: ceil(inSize / stride); the interleaved result is cropped to inSize. */
  phaseLength: number;
}

/** Plans the phase decomposition of one axis of Conv2DBackpropInput (dilation 1). */
export function phasePlan(axis: ConvAxis): PhasePlan {
  const { kernel, stride, padBefore } = axis;
  const phases = Array.from({ length: stride }, (_, p) => {
    const shifted = p + padBefore;
    const carry = Math.floor(shifted / stride);
    const firstTap = shifted % stride;
    const count = firstTap < kernel ? Math.ceil((kernel - firstTap) / stride) : 0;
    return { carry, firstTap, count };
  });
  const used = phases.filter((ph) => ph.count > 0);
  // dx[s·a + p] = Σ_j dy[a + carry − j] · w[s·j + firstTap]: dy offsets run from carry − count + 1 to carry.
  const low = Math.min(...used.map((ph) => ph.carry - ph.count + 1));
  const high = Math.max(...used.map((ph) => ph.carry));
  const window = high - low + 1;
  const taps = phases.map((ph) =>
    Array.from({ length: window }, (_, t) => {
      const j = ph.carry - (low + t);
      return j >= 0 && j < ph.count ? stride * j + ph.firstTap : -1;
    }),
  );
  return { stride, window, taps, offset: low, phaseLength: Math.ceil(axis.inSize / stride) };
}

/** How far dy must be padded (positive) or cropped (negative) before and after along one axis. */
export function phaseInputPads(plan: PhasePlan, outSize: number): { before: number; after: number } {
  const lastNeeded = plan.phaseLength - 1 + plan.offset + plan.window - 1;
  return { before: -plan.offset, after: lastNeeded - (outSize - 1) };
}
