import type { JitterParams } from '../../../core/colour-jitter';

/** PIL's "L" conversion (ITU-R 601-2 luma, fixed point). */
function luma(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
}

/** PIL's Image.blend on 8 bits: degenerate + f·(v − degenerate), truncated and clipped. */
function blend(degenerate: number, v: number, f: number): number {
  const t = degenerate + f * (v - degenerate);
  return t <= 0 ? 0 : t >= 255 ? 255 : Math.trunc(t);
}

/** Applies torchvision's ColorJitter (PIL semantics: brightness vs black, contrast vs mean luma, saturation vs luma) in place. */
export function applyColourJitter(pixels: Uint8Array, params: JitterParams): void {
  for (const op of params.order) {
    if (op === 'brightness') {
      const f = params.brightness;
      for (let i = 0; i < pixels.length; i++) pixels[i] = blend(0, pixels[i]!, f);
    } else if (op === 'contrast') {
      let sum = 0;
      for (let i = 0; i < pixels.length; i += 3) sum += luma(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!);
      const mean = Math.trunc(sum / (pixels.length / 3) + 0.5);
      const f = params.contrast;
      for (let i = 0; i < pixels.length; i++) pixels[i] = blend(mean, pixels[i]!, f);
    } else {
      const f = params.saturation;
      for (let i = 0; i < pixels.length; i += 3) {
        const l = luma(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!);
        pixels[i] = blend(l, pixels[i]!, f);
        pixels[i + 1] = blend(l, pixels[i + 1]!, f);
        pixels[i + 2] = blend(l, pixels[i + 2]!, f);
      }
    }
  }
}

/** Mirrors a width × height RGB image left–right in place. */
export function flipHorizontal(pixels: Uint8Array, width: number, height: number): void {
  for (let y = 0; y < height; y++) {
    let a = y * width * 3;
    let b = a + (width - 1) * 3;
    for (; a < b; a += 3, b -= 3) {
      for (let c = 0; c < 3; c++) {
        const t = pixels[a + c]!;
        pixels[a + c] = pixels[b + c]!;
        pixels[b + c] = t;
      }
    }
  }
}

/** 3 × 256 lookup table of (v / 255 − mean[c]) / std[c]. */
export function normalisationTable(mean: readonly number[], std: readonly number[]): Float32Array {
  const table = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) for (let v = 0; v < 256; v++) table[c * 256 + v] = (v / 255 - mean[c]!) / std[c]!;
  return table;
}

/** Writes normalised float32 RGB into `out` at `offset` (NHWC). */
export function normaliseInto(out: Float32Array, offset: number, pixels: Uint8Array, table: Float32Array): void {
  for (let i = 0; i < pixels.length; i += 3) {
    out[offset + i] = table[pixels[i]!]!;
    out[offset + i + 1] = table[256 + pixels[i + 1]!]!;
    out[offset + i + 2] = table[512 + pixels[i + 2]!]!;
  }
}
