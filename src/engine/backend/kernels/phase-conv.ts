import type { TensorInfo } from '@tensorflow/tfjs-core';
import { phaseInputPads, type PhasePlan } from './conv-geometry';
import type { KernelScope } from './kernel-scope';

type Pads4 = [[number, number], [number, number], [number, number], [number, number]];

/**
 * For each (window row, window col, phase row, phase col), in that order, the flat forward tap
 * (row·kernelW + col) it applies, or kernelH·kernelW for "no tap" (a zero row appended by callers).
 */
export function phaseTapIndex(planH: PhasePlan, planW: PhasePlan, kernelW: number, zeroTap: number): Int32Array {
  const index: number[] = [];
  for (let th = 0; th < planH.window; th++)
    for (let tw = 0; tw < planW.window; tw++)
      for (let ph = 0; ph < planH.stride; ph++)
        for (let pw = 0; pw < planW.stride; pw++) {
          const a = planH.taps[ph]![th]!;
          const b = planW.taps[pw]![tw]!;
          index.push(a < 0 || b < 0 ? zeroTap : a * kernelW + b);
        }
  return Int32Array.from(index);
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
