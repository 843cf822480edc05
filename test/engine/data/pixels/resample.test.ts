import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resizeRgb, resizeRgbReference } from '../../../../src/engine/data/pixels/resample';
import type { RgbImage } from '../../../../src/engine/data/pixels/rgb-image';
import { noiseImage, RESIZE_CASES, RESIZE_IMAGE, type ResizeCase } from '../../../fixtures/reference/resize-cases';
import { hasReferencePython, REFERENCE_MISSING, runReference } from '../../../helpers/python-reference';

const src: RgbImage = { data: noiseImage(RESIZE_IMAGE.width, RESIZE_IMAGE.height), ...RESIZE_IMAGE };
const recorded = JSON.parse(
  readFileSync(new URL('../../../fixtures/reference/pil-resize.json', import.meta.url), 'utf8'),
) as number[][];

/** Runs a reference case (crop → resize with box → window) through resizeRgb (or another implementation). */
function resizeCase(image: RgbImage, c: ResizeCase, resize = resizeRgb): number[] {
  const [vx, vy, vw, vh] = c.crop ?? [0, 0, image.width, image.height];
  const [wx, wy, ww, wh] = c.window ?? [0, 0, c.outW, c.outH];
  const box = c.box && { x0: c.box[0], y0: c.box[1], x1: c.box[2], y1: c.box[3] };
  const view = { x: vx, y: vy, w: vw, h: vh };
  const window = { x: wx, y: wy, w: ww, h: wh };
  return [...resize({ src: image, view, box, outWidth: c.outW, outHeight: c.outH, window, filter: c.filter })];
}

function describeCase(c: ResizeCase): string {
  const parts = [c.crop && `after crop ${c.crop}`, c.box && `box ${c.box}`, c.window && `window ${c.window}`];
  return `${c.filter} → ${c.outW}×${c.outH} ${parts.filter(Boolean).join(' ')}`;
}

describe('resizeRgb', () => {
  it.each(RESIZE_CASES.map((c, i) => [describeCase(c), i]))('is pixel-identical to Pillow 9.4 (recorded): %s', (_n, i) => {
    expect(resizeCase(src, RESIZE_CASES[i as number]!)).toEqual(recorded[i as number]);
  });

  it('is pixel-identical to Pillow 9.4 in its TypeScript reference passes too (the fallback without WebAssembly SIMD)', () => {
    RESIZE_CASES.forEach((c, i) => expect(resizeCase(src, c, resizeRgbReference), describeCase(c)).toEqual(recorded[i]));
  });

  it('keeps a flat colour flat at any scale (weights sum to one)', () => {
    const flat = { data: new Uint8Array(30 * 20 * 3).fill(173), width: 30, height: 20 };
    for (const filter of ['bilinear', 'bicubic', 'nearest'] as const) {
      for (const [outW, outH] of [
        [7, 5],
        [64, 48],
        [30, 20],
      ] as const) {
        expect(new Set(resizeCase(flat, { filter, outW, outH }))).toEqual(new Set([173]));
      }
    }
  });

  it('computes a window exactly as the same part of the full resize', () => {
    const full = resizeCase(src, { filter: 'bilinear', outW: 45, outH: 28 });
    const part = resizeCase(src, { filter: 'bilinear', outW: 45, outH: 28, window: [10, 2, 24, 24] });
    const expected: number[] = [];
    for (let y = 2; y < 26; y++) expected.push(...full.slice((y * 45 + 10) * 3, (y * 45 + 34) * 3));
    expect(part).toEqual(expected);
  });

  it('antialiases when shrinking: a 1-pixel checkerboard averages to grey', () => {
    const data = new Uint8Array(40 * 40 * 3);
    for (let p = 0; p < 40 * 40; p++) data.fill((p + Math.floor(p / 40)) % 2 ? 255 : 0, p * 3, p * 3 + 3);
    const out = resizeCase({ data, width: 40, height: 40 }, { filter: 'bilinear', outW: 10, outH: 10 });
    for (const v of out) expect(Math.abs(v - 127.5)).toBeLessThan(12);
  });
});

describe.skipIf(!hasReferencePython())('resizeRgb against Pillow (live, Debian python3-pil)', () => {
  it('matches Pillow pixel for pixel on a fresh noise image', () => {
    const image = { data: noiseImage(61, 47, 99), width: 61, height: 47 };
    const cases: ResizeCase[] = [
      { filter: 'bilinear', outW: 19, outH: 13 },
      { filter: 'bicubic', outW: 128, outH: 128, crop: [3, 5, 40, 30] },
      { filter: 'bilinear', outW: 16, outH: 16, crop: [10, 1, 50, 44] },
      { filter: 'bilinear', outW: 82, outH: 63, window: [9, 7, 64, 56] },
      { filter: 'bilinear', outW: 24, outH: 24, box: [2.25, 3.6, 50.1, 40.05] },
    ];
    const theirs = runReference<number[][]>('pil_resize.py', {
      cases: cases.map((c) => ({ ...c, w: image.width, h: image.height, pixels: [...image.data] })),
    });
    cases.forEach((c, i) => expect(resizeCase(image, c), describeCase(c)).toEqual(theirs[i]));
  });
});

if (!hasReferencePython()) console.warn(`Pillow live comparison ${REFERENCE_MISSING}`);
