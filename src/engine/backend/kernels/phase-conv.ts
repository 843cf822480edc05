import type { TensorInfo } from '@tensorflow/tfjs-core';
import { phaseInputPads, type PhasePlan } from './conv-geometry';
import type { KernelScope } from './kernel-scope';

type Pads4 = [[number, number], [number, number], [number, number], [number, number]];

/** The forward tap (row, col) that window position (th, tw) applies in phase (ph, pw), or null. */
function tapOf(planH: PhasePlan, planW: PhasePlan, th: number, tw: number, ph: number, pw: number): [number, number] | null {
  const a = planH.taps[ph]![th]!;
  const b = planW.taps[pw]![tw]!;
  return a < 0 || b < 0 ? null : [a, b];
}

/**
 * The filter of the single stride-1 phase conv, [windowH, windowW, outC, phases·inC] (phase-major
 * channels), from the forward filter w [kh, kw, inC, outC]: each phase's flipped taps, zeros where
 * a phase has none. Built in JS from the (small) filter on the wasm heap: four tiny kernel calls
 * (transpose, pad, gather, transpose) cost more than the loop.
 */
export function phaseFilter(w: Float32Array, shape: number[], planH: PhasePlan, planW: PhasePlan): Float32Array {
  const [, kw, inC, outC] = shape as [number, number, number, number];
  const phases = planH.stride * planW.stride;
  const out = new Float32Array(planH.window * planW.window * outC * phases * inC);
  let o = 0;
  for (let th = 0; th < planH.window; th++)
    for (let tw = 0; tw < planW.window; tw++)
      for (let co = 0; co < outC; co++)
        for (let ph = 0; ph < planH.stride; ph++)
          for (let pw = 0; pw < planW.stride; pw++) {
            const tap = tapOf(planH, planW, th, tw, ph, pw);
            if (!tap) {
              o += inC;
              continue;
            }
            const base = (tap[0] * kw + tap[1]) * inC * outC + co;
            for (let ci = 0; ci < inC; ci++) out[o++] = w[base + ci * outC]!;
          }
  return out;
}

/** phaseFilter for a depthwise filter w [kh, kw, inC, mult]: [windowH, windowW, inC·mult, phases]. */
export function depthwisePhaseFilter(w: Float32Array, shape: number[], planH: PhasePlan, planW: PhasePlan): Float32Array {
  const [, kw, inC, mult] = shape as [number, number, number, number];
  const channels = inC * mult;
  const out = new Float32Array(planH.window * planW.window * channels * planH.stride * planW.stride);
  let o = 0;
  for (let th = 0; th < planH.window; th++)
    for (let tw = 0; tw < planW.window; tw++)
      for (let c = 0; c < channels; c++)
        for (let ph = 0; ph < planH.stride; ph++)
          for (let pw = 0; pw < planW.stride; pw++) {
            const tap = tapOf(planH, planW, th, tw, ph, pw);
            out[o++] = tap ? w[(tap[0] * kw + tap[1]) * channels + c]! : 0;
          }
  return out;
}

/** dy cropped where it has rows no phase reads, and the explicit pads the phase conv needs around it. */
export function phaseConvInput(
  scope: KernelScope,
  dy: TensorInfo,
  planH: PhasePlan,
  planW: PhasePlan,
): { input: TensorInfo; pad: Pads4 } {
  const [, outH, outW] = dy.shape as [number, number, number, number];
  const padH = phaseInputPads(planH, outH);
  const padW = phaseInputPads(planW, outW);
  return {
    input: cropNegative(scope, dy, padH, padW),
    pad: [
      [0, 0],
      [Math.max(0, padH.before), Math.max(0, padH.after)],
      [Math.max(0, padW.before), Math.max(0, padW.after)],
      [0, 0],
    ],
  };
}

/** Drops leading/trailing rows or columns of an NHWC tensor where the pads are negative. */
export function cropNegative(
  scope: KernelScope,
  x: TensorInfo,
  padH: { before: number; after: number },
  padW: { before: number; after: number },
): TensorInfo {
  if (Math.min(padH.before, padH.after, padW.before, padW.after) >= 0) return x;
  const [n, height, width, c] = x.shape as [number, number, number, number];
  const top = Math.max(0, -padH.before);
  const left = Math.max(0, -padW.before);
  const rows = height - top - Math.max(0, -padH.after);
  const cols = width - left - Math.max(0, -padW.after);
  return scope.run('Slice', { x }, { begin: [0, top, left, 0], size: [n, rows, cols, c] });
}

/**
 * Phase outputs [N, A, B, sH·sW·C] (phase-major channels) → the interleaved [N, H, W, C]. One
 * rank-4 Transpose moving sW·C-float blocks: wasm's DepthToSpace does the same in a scalar loop
 * ~100× slower.
 */
export function interleavePhases(
  scope: KernelScope,
  phases: TensorInfo,
  planH: PhasePlan,
  planW: PhasePlan,
  [n, height, width, c]: [number, number, number, number],
): TensorInfo {
  const rows = planH.phaseLength * planH.stride;
  const cols = planW.phaseLength * planW.stride;
  let full = phases;
  if (planH.stride > 1 || planW.stride > 1) {
    // [n·A, B, sH, sW·C] → [n·A, sH, B, sW·C] is [n, A·sH, B·sW, C] in memory.
    const split = scope.reshape(phases, [n * planH.phaseLength, planW.phaseLength, planH.stride, planW.stride * c]);
    full = scope.reshape(scope.run('Transpose', { x: split }, { perm: [0, 2, 1, 3] }), [n, rows, cols, c]);
  }
  if (rows === height && cols === width) return full;
  return scope.run('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [n, height, width, c] });
}
