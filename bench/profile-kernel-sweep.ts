/**
 * `npm run bench:kernels`: a wider randomized sweep of our wasm gradient kernels against the cpu
 * backend than the unit tests afford — sizes up to 33, up to 48 channels, batch up to 6, kernels
 * 1–7 (square or not), strides 1–3, 'same', 'valid' and explicit pads, depthwise multipliers 1–3,
 * max-pool windows 2–4. Prints the worst normwise relative error per kernel; exit 1 above 1e-4.
 *   npm run bench:kernels -- [--cases 200] [--seed 1]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { streamFor } from '../src/core/rng';
import { gradsOf, maxRelativeError, setUpBackends } from '../test/engine/kernels/compare-backends';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '200' }, seed: { type: 'string', default: '1' }, only: { type: 'string' } },
});
const runs = (name: string) => !values.only || values.only.split(',').includes(name);
await setUpBackends();
const rng = streamFor(Number(values.seed));
const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
const between = (lo: number, hi: number) => lo + rng.int(hi - lo + 1);
type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
const padOf = (): Pad =>
  pick([
    'same',
    'valid',
    [
      [0, 0],
      [between(0, 2), between(0, 2)],
      [between(0, 2), between(0, 2)],
      [0, 0],
    ],
  ] as const) as Pad;

const worst = new Map<string, { err: number; config: string }>();
const record = (name: string, err: number, config: string) => {
  if (err >= (worst.get(name)?.err ?? -1)) worst.set(name, { err, config });
};

for (let c = 0; c < Number(values.cases); c++) {
  const [kh, kw] = pick([
    [1, 1],
    [3, 3],
    [5, 5],
    [7, 7],
    [1, 3],
    [3, 1],
    [2, 3],
    [3, 5],
    [1, 7],
  ] as const);
  const stride = between(1, 3);
  const pad = padOf();
  const size = between(Math.max(kh, kw), 33);
  const batch = between(1, 6);
  const inC = between(1, 48);
  const outC = between(1, 48);
  const config = JSON.stringify({ kernel: [kh, kw], stride, pad, size, batch, inC, outC });
  const seed = 100 + c;
  let stage = 'conv2d';
  try {
    if (runs('conv2d'))
      record(
        'conv2d gradients',
        await maxRelativeError(
          [
            { shape: [batch, size, size, inC], seed },
            { shape: [kh, kw, inC, outC], seed: seed + 1 },
          ],
          gradsOf((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad), seed + 2),
        ),
        config,
      );
    stage = 'depthwise';
    const mult = between(1, 3);
    const dwPad = pad === 'valid' || pad === 'same' ? pad : 'same';
    if (runs('depthwise'))
      record(
        'depthwise gradients',
        await maxRelativeError(
          [
            { shape: [batch, size, size, inC], seed },
            { shape: [kh, kw, inC, mult], seed: seed + 3 },
          ],
          gradsOf((x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, dwPad), seed + 4),
        ),
        `${config} ×${mult}`,
      );
    stage = 'max-pool';
    const window = between(2, 4);
    const relu = rng.uniform() < 0.5;
    if (runs('max-pool'))
      record(
        'max-pool gradient',
        await maxRelativeError(
          [{ shape: [batch, size, size, inC], seed, map: relu ? (v) => Math.max(0, v) : undefined }],
          gradsOf((x) => tf.maxPool(x as tf.Tensor4D, window, stride, dwPad), seed + 5),
        ),
        `${config} window ${window}${relu ? ' relu' : ''}`,
      );
  } catch (err) {
    record('errors', Number.POSITIVE_INFINITY, `case ${c} ${stage} ${config}: ${(err as Error).message.split('\n')[0]}`);
  }
}
let failed = false;
for (const [name, { err, config }] of worst) {
  failed ||= !(err < 1e-4);
  process.stdout.write(`${name.padEnd(22)} worst relative error ${err.toExponential(2)}  at ${config}\n`);
}
process.stdout.write(failed ? 'sweep: FAILED (> 1e-4)\n' : `sweep: OK (${values.cases} cases)\n`);
process.exit(failed ? 1 : 0);
