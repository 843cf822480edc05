import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Whether a (small) float tensor holds only finite values, read straight from the wasm heap.
 * XNNPACK clamps its outputs to [−∞, +∞] with pseudo-min/max, which turns NaN into −∞; the
 * vectorised paths below check their per-channel operands or results with this and hand non-finite
 * cases to wasm's scalar kernels, so a NaN still reaches the loss (where training stops on it).
 */
export function allFinite(backend: unknown, t: TensorInfo): boolean {
  if (t.dtype !== 'float32') return true;
  const values = (backend as BackendWasm).typedArrayFromHeap(t) as Float32Array;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}
