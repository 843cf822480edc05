import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/rng';
import { resizeRgb, resizeRgbReference, type ResizeRequest } from '../../../../src/engine/data/pixels/resample';
import { hasWasmResample } from '../../../../src/engine/data/pixels/resample-wasm';
import { noiseImage } from '../../../fixtures/reference/resize-cases';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/** A random integer in [a, b]. */
const between = (rng: Rng, a: number, b: number) => a + rng.int(b - a + 1);

/** A random resize as the data pipeline makes them: crop view, optional fractional box, down- or upscale, optional window. */
function randomRequest(rng: Rng): ResizeRequest {
  const small = rng.uniform() < 0.3;
  const width = small ? between(rng, 1, 12) : between(rng, 1, 600);
  const height = small ? between(rng, 1, 12) : between(rng, 1, 450);
  const src = { data: noiseImage(width, height, rng.nextU32()), width, height };
  const vw = rng.uniform() < 0.1 ? 1 : between(rng, 1, width);
  const vh = between(rng, 1, height);
  const view = { x: between(rng, 0, width - vw), y: between(rng, 0, height - vh), w: vw, h: vh };
  let box: ResizeRequest['box'];
  if (rng.uniform() < 0.5) {
    const x0 = rng.uniform() * vw * 0.5;
    const y0 = rng.uniform() * vh * 0.5;
    box = { x0, y0, x1: x0 + (vw - x0) * (0.05 + 0.95 * rng.uniform()), y1: y0 + (vh - y0) * (0.05 + 0.95 * rng.uniform()) };
  }
  // Scale factors from 1/4 (upscaling) to 8 (downscaling), sometimes exactly 1 on one axis.
  const outSize = (input: number) =>
    rng.uniform() < 0.1 ? Math.round(input) || 1 : Math.min(320, Math.max(1, Math.round(input / 2 ** (5 * rng.uniform() - 2))));
  const outWidth = outSize(box ? box.x1 - box.x0 : vw);
  const outHeight = outSize(box ? box.y1 - box.y0 : vh);
  const window = { x: 0, y: 0, w: outWidth, h: outHeight };
  if (rng.uniform() < 0.5) {
    window.w = between(rng, 1, outWidth);
    window.h = between(rng, 1, outHeight);
    window.x = between(rng, 0, outWidth - window.w);
    window.y = between(rng, 0, outHeight - window.h);
  }
  return { src, view, box, outWidth, outHeight, window, filter: rng.uniform() < 0.5 ? 'bilinear' : 'bicubic' };
}

describe('resizeRgb in WebAssembly', () => {
  it('runs here (Node has WebAssembly SIMD), so the comparisons below compare two implementations', () => {
    expect(hasWasmResample()).toBe(true);
  });

  it('is byte-identical to the TypeScript reference on random views, boxes, scales, windows and filters', () => {
    const rng = Rng.fromSeed(20261126);
    for (let n = 0; n < 250; n++) {
      const request = randomRequest(rng);
      const { src, view, box, outWidth, outHeight, window, filter } = request;
      const label = JSON.stringify({ size: [src.width, src.height], view, box, outWidth, outHeight, window, filter });
      const ours = resizeRgb(request);
      const reference = resizeRgbReference(request);
      expect(ours.length, label).toBe(window.w * window.h * 3);
      // One comparison of the whole output: cheap when equal, and the label says which case failed.
      expect(Buffer.from(ours).equals(Buffer.from(reference)), label).toBe(true);
    }
  });

  it('is byte-identical on the shapes the data pipeline uses most (500×375 → 128, crops and test centre crop)', () => {
    const src = { data: noiseImage(500, 375, 7), width: 500, height: 375 };
    // view (x, y, w, h), output size, window (x, y, w, h), filter
    const cases = [
      [[37, 20, 301, 250], [128, 128], [0, 0, 128, 128], 'bilinear'],
      [[0, 0, 500, 375], [195, 146], [33, 9, 128, 128], 'bilinear'],
      [[400, 300, 60, 41], [224, 224], [0, 0, 224, 224], 'bicubic'],
      [[499, 0, 1, 375], [3, 128], [0, 0, 3, 128], 'bicubic'],
    ] as const;
    const box = ([x, y, w, h]: readonly number[]) => ({ x: x!, y: y!, w: w!, h: h! });
    const requests = cases.map(([view, [outWidth, outHeight], window, filter]): ResizeRequest => {
      return { src, view: box(view), outWidth, outHeight, window: box(window), filter };
    });
    for (const request of requests) expect([...resizeRgb(request)]).toEqual([...resizeRgbReference(request)]);
  });

  it('ships the module that resample.wat compiles to (npm run build:wasm leaves resample-wasm-bytes.ts unchanged)', () => {
    expect(() =>
      execFileSync(process.execPath, ['scripts/build-resample-wasm.mjs', '--check'], { cwd: repo, stdio: 'pipe' }),
    ).not.toThrow();
  });
});
