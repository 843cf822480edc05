/**
 * The Pillow-exact resize alone: ms per RandomResizedCrop(K) resize of the bench JPEGs, in
 * WebAssembly SIMD (what resizeRgb runs) and in the TypeScript reference, on one thread.
 *   npx tsx bench/data-resize.ts [<imageDir>] [K]
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planSample } from '../src/core/sample-plan';
import { sampleStream } from '../src/core/epoch-order';
import { decodeImageFile } from '../src/engine/data/decode-image';
import { resizeRgb, resizeRgbReference, type ResizeRequest } from '../src/engine/data/pixels/resample';
import { hasWasmResample } from '../src/engine/data/pixels/resample-wasm';
import { benchSpec, ensureBenchImages } from './data-images';

const dir = process.argv[2] ?? join(tmpdir(), 'fixres-bench-data', 'jpeg-500x375');
const k = Number(process.argv[3] ?? 128);
const IMAGES = 50;
const ROUNDS = 7;

const names = (await ensureBenchImages(dir)).slice(0, IMAGES);
const { transform } = benchSpec(dir, names, k);
const images = await Promise.all(names.map((name) => decodeImageFile(join(dir, name))));
const requests = (filter: ResizeRequest['filter']): ResizeRequest[] =>
  images.map((src, i) => {
    const plan = planSample(src.width, src.height, transform, sampleStream(1, 0, i));
    return { src, view: plan.region, outWidth: k, outHeight: k, window: plan.window, filter };
  });

/** Median over rounds of the mean ms per resize. */
function msPerResize(resize: (r: ResizeRequest) => Uint8Array, list: ResizeRequest[]): number {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    for (const request of list) resize(request);
    rounds.push((performance.now() - t0) / list.length);
  }
  return rounds.sort((a, b) => a - b)[ROUNDS >> 1]!;
}

if (!hasWasmResample()) console.warn('WebAssembly SIMD is not available here: both rows run the TypeScript passes');
for (const filter of ['bilinear', 'bicubic'] as const) {
  const list = requests(filter);
  msPerResize(resizeRgb, list); // warm up both paths before timing either
  msPerResize(resizeRgbReference, list);
  const wasm = msPerResize(resizeRgb, list);
  const reference = msPerResize(resizeRgbReference, list);
  process.stdout.write(
    `${JSON.stringify({ filter, k, images: IMAGES, wasm_ms: wasm, typescript_ms: reference, speedup: reference / wasm })}\n`,
  );
}
