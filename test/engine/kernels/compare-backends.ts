import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-layers' bundle registers tfjs-core's gradient functions (tfjs-core's Node build does not).
import '@tensorflow/tfjs-layers';
import { streamFor } from '../../../src/core/rng';
import { deviceLabel } from '../../../src/shared/backends';
import { registerWasmKernels } from '../../../src/engine/backend/kernels/register-wasm-kernels';
import { registerWebgpuKernels } from '../../../src/engine/backend/webgpu/register-webgpu-kernels';
import { webgpuForTests } from '../../helpers/webgpu';

/** A backend whose kernels are compared with the `cpu` backend's. */
export type Target = 'wasm' | 'webgpu';

const webgpu = await webgpuForTests();
/** Why the webgpu cases are skipped here (null when they run). */
export const WEBGPU_SKIP = webgpu.skip;
/** The backends under test: wasm always, webgpu when Dawn has an adapter (SwiftShader in CI). */
export const TARGETS: Target[] = webgpu.skip ? ['wasm'] : ['wasm', 'webgpu'];
if (webgpu.skip) console.warn(`webgpu kernel parity skipped: ${webgpu.skip}`);
else console.info(`webgpu kernel parity on ${deviceLabel(webgpu.device!)}`);

/** Initialises cpu, wasm (with our kernels) and webgpu (when there is an adapter) once per test file. */
export async function setUpBackends(): Promise<void> {
  if (!webgpu.skip) {
    await tf.setBackend('webgpu');
    registerWebgpuKernels();
  }
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmKernels();
}

/** A seeded random input: values, shape and (optionally) a transform such as "all ≤ 0". */
export interface InputSpec {
  shape: number[];
  seed: number;
  map?: (v: number) => number;
}

export function randomValues({ shape, seed, map }: InputSpec): Float32Array {
  const rng = streamFor(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: size }, () => (map ? map(rng.normal()) : rng.normal()));
}

/**
 * Normwise relative error ‖a − b‖∞ / max(‖b‖∞, 1e-6). Element-wise relative error is ill-posed for
 * sums of mixed-sign terms (an output near zero by cancellation carries the rounding error of the
 * large terms it summed), so the error is measured against the scale of the whole result.
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff / Math.max(scale, 1e-6);
}

/** A tensor's values, read asynchronously (webgpu in Node cannot read synchronously). */
export async function valuesOf(t: tf.Tensor): Promise<Float32Array> {
  return Float32Array.from((await t.data()) as Float32Array);
}

/** Runs `f` on the same inputs on `target` and on cpu (the reference); returns each output of both. */
export async function onBothBackends(
  inputs: InputSpec[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  target: Target = 'wasm',
): Promise<{ out: Float32Array[]; cpu: Float32Array[]; shapes: number[][] }> {
  const values = inputs.map(randomValues);
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const result = tf.tidy(() => {
      const xs = inputs.map((spec, i) => tf.tensor(values[i]!, spec.shape));
      const out = f(...xs);
      return Array.isArray(out) ? out : [out];
    });
    const data = await Promise.all(result.map(valuesOf));
    const shapes = result.map((t) => t.shape);
    tf.dispose(result);
    return { data, shapes };
  };
  const cpu = await run('cpu');
  const out = await run(target);
  if (JSON.stringify(out.shapes) !== JSON.stringify(cpu.shapes)) {
    throw new Error(`shapes differ: ${target} ${JSON.stringify(out.shapes)} cpu ${JSON.stringify(cpu.shapes)}`);
  }
  return { out: out.data, cpu: cpu.data, shapes: out.shapes };
}

/** The largest relative error over all outputs of `f`, `target` vs cpu. */
export async function maxRelativeError(
  inputs: InputSpec[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  target: Target = 'wasm',
): Promise<number> {
  const { out, cpu } = await onBothBackends(inputs, f, target);
  return Math.max(...out.map((w, i) => relativeError(w, cpu[i]!)));
}

/** Gradients of Σ(f(xs) · dy) for a fixed random dy: exactly the backprop kernels' outputs. */
export function gradsOf(f: (...xs: tf.Tensor[]) => tf.Tensor, dySeed: number): (...xs: tf.Tensor[]) => tf.Tensor[] {
  return (...xs) => {
    const g = tf.grads((...args: tf.Tensor[]) => {
      const y = f(...args);
      const dy = tf.tensor(randomValues({ shape: y.shape, seed: dySeed }), y.shape);
      return tf.sum(tf.mul(y, dy));
    });
    return g(xs);
  };
}
