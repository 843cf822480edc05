/**
 * What tfjs-backend-wasm 4.22 gets wrong or lacks for training, checked against the cpu backend
 * with wasm's shipped kernels only (none of ours registered).
 *   npx tsx bench/profile-shipped-wasm.ts
 * Prints one line per claim: the case, and the normwise relative error ‖wasm − cpu‖∞ / ‖cpu‖∞ or
 * the error wasm raised.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { streamFor } from '../src/core/rng';

const random = (shape: number[], seed: number, map: (v: number) => number = (v) => v) => {
  const rng = streamFor(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => map(rng.normal())),
    shape,
  );
};

async function onBackend(backend: string, f: () => tf.Tensor): Promise<Float32Array | string> {
  await tf.setBackend(backend);
  try {
    return tf.tidy(() => Float32Array.from(f().dataSync() as Float32Array));
  } catch (err) {
    return (err as Error).message.split('\n')[0]!;
  }
}

async function check(claim: string, f: () => tf.Tensor): Promise<void> {
  const [cpu, wasm] = [await onBackend('cpu', f), await onBackend('wasm', f)];
  let verdict: string;
  if (typeof wasm === 'string') verdict = `wasm throws: ${wasm}`;
  else if (typeof cpu === 'string') verdict = `cpu throws: ${cpu}`;
  else {
    let diff = 0;
    let scale = 0;
    cpu.forEach((c, i) => {
      diff = Math.max(diff, Math.abs(c - wasm[i]!));
      scale = Math.max(scale, Math.abs(c));
    });
    const err = diff / Math.max(scale, 1e-6);
    verdict = `${err < 1e-4 ? 'ok   ' : 'WRONG'} relative error ${err.toExponential(1)}`;
  }
  process.stdout.write(`${claim.padEnd(64)} ${verdict}\n`);
}

const grads = (f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], dySeed: number) =>
  tf.concat(
    tf
      .grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), random(f(...a).shape, dySeed))))(xs)
      .map((g) => tf.reshape(g, [-1])),
  );

await tf.setBackend('wasm');
await tf.ready();
const conv = (kh: number, kw: number, stride: number, pad: 'same' | 'valid', size: number) =>
  check(`conv2d ${kh}×${kw} stride ${stride} ${pad} on ${size}×${size}`, () =>
    tf.conv2d(random([2, size, size, 5], 1) as tf.Tensor4D, random([kh, kw, 5, 3], 2) as tf.Tensor4D, stride, pad),
  );
for (const [kh, kw] of [
  [1, 3],
  [3, 1],
  [3, 5],
  [2, 3],
  [3, 3],
] as const)
  await conv(kh, kw, 2, 'same', 8);
await conv(1, 3, 2, 'same', 9);
await conv(1, 3, 1, 'same', 8);
await check('depthwise conv 1×3 stride 2 same on 8×8', () =>
  tf.depthwiseConv2d(random([2, 8, 8, 5], 1) as tf.Tensor4D, random([1, 3, 5, 1], 2) as tf.Tensor4D, 2, 'same'),
);
await check('conv2d filter gradient (Conv2DBackpropFilter)', () =>
  grads(
    (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
    [random([2, 8, 8, 5], 1), random([3, 3, 5, 3], 2)],
    3,
  ),
);
await check('conv2d input gradient (Conv2DBackpropInput), 3×3 stride 2 same', () =>
  tf.conv2dTranspose(random([2, 4, 4, 3], 3) as tf.Tensor4D, random([3, 3, 5, 3], 2) as tf.Tensor4D, [2, 8, 8, 5], 2, 'same'),
);
await check('depthwise input gradient', () =>
  tf.grad((x: tf.Tensor) => tf.sum(tf.depthwiseConv2d(x as tf.Tensor4D, random([3, 3, 5, 1], 2) as tf.Tensor4D, 1, 'same')))(
    random([2, 8, 8, 5], 1),
  ),
);
await check('depthwise filter gradient', () =>
  tf.grad((w: tf.Tensor) => tf.sum(tf.depthwiseConv2d(random([2, 8, 8, 5], 1) as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')))(
    random([3, 3, 5, 1], 2),
  ),
);
const poolGrad = (name: string, map?: (v: number) => number) =>
  check(`max-pool gradient 3×3 stride 2 same, ${name}`, () =>
    grads((x) => tf.maxPool(x as tf.Tensor4D, 3, 2, 'same'), [random([2, 9, 9, 3], 1, map)], 2),
  );
await poolGrad('all values > 0', (v) => 1 + Math.abs(v));
await poolGrad('random signs');
await poolGrad('all values ≤ 0', (v) => -Math.abs(v));
await poolGrad('after ReLU (windows of zeros)', (v) => Math.max(0, v));
await check(
  'max-pool with argmax, all values ≤ 0',
  () => tf.maxPoolWithArgmax(random([1, 4, 4, 1], 1, (v) => -Math.abs(v)) as tf.Tensor4D, 2, 2, 'valid').result as tf.Tensor,
);
process.stdout.write(
  `wasm threads under Node: WASM_HAS_MULTITHREAD_SUPPORT = ${String(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))}\n`,
);
