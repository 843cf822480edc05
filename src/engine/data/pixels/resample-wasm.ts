import type { PassPlan } from './resample-coefficients';
import { RESAMPLE_WASM_BASE64 } from './resample-wasm-bytes';

/** The part of the WebAssembly JS API used here (the project's lib, ES2023 + Node types, does not declare it). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** Where one axis's coefficients sit in the module's memory (byte offsets), and the weights' row length. */
type AxisPointers = [first: number, taps: number, weights: number, kernelSize: number];

/** resample.wat's exports (see its header for the memory layout and the arithmetic). */
interface ResampleExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  horizontal(
    ...args: [src: number, srcStride: number, rows: number, outW: number, ...axis: AxisPointers, dst: number, dstStride: number]
  ): void;
  vertical(...args: [temp: number, tempStride: number, rowBytes: number, outH: number, ...axis: AxisPointers, dst: number]): void;
}

/** Both passes read and write whole 4-, 8- or 16-byte groups: every pixel region ends with this much room. */
const SPARE_BYTES = 16;
/** The horizontal pass works on this many rows at once. */
const ROW_GROUP = 4;
const PAGE_BYTES = 65536;

let instance: ResampleExports | null | undefined;

/**
 * The resample module, instantiated synchronously once per thread (each sample worker has its
 * own); null where this runtime cannot run it. Validating the module itself is the feature test:
 * it fails exactly when 128-bit SIMD (the only post-MVP feature it uses) is missing.
 */
function resampleModule(): ResampleExports | null {
  if (instance !== undefined) return instance;
  instance = null;
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  const bytes = Buffer.from(RESAMPLE_WASM_BASE64, 'base64');
  if (api?.validate(bytes)) instance = new api.Instance(new api.Module(bytes), {}).exports as ResampleExports;
  return instance;
}

/** Whether resizeRgb's bilinear and bicubic passes run in WebAssembly SIMD on this thread. */
export function hasWasmResample(): boolean {
  return resampleModule() !== null;
}

/** Bump allocator over the module's memory: 16-byte aligned regions, laid out once per call. */
class Layout {
  end = 0;
  take(bytes: number): number {
    const at = this.end;
    this.end += (bytes + 15) & ~15;
    return at;
  }
}

/**
 * Runs both convolution passes of `plan` in the wasm module and returns their output (one row
 * per vertical coefficient, one RGB pixel per horizontal one); null where the module cannot run.
 * Copies in only the source rows and columns the horizontal pass reads.
 */
export function wasmPasses(plan: PassPlan): Uint8Array | null {
  const wasm = resampleModule();
  if (!wasm) return null;
  const { src, horiz, vert, rows, rowFirst } = plan;
  const outW = horiz.first.length;
  const outH = vert.first.length;
  const rowBytes = outW * 3;
  // Room for the horizontal pass's fourth byte after a row's last pixel; rows 16-byte aligned.
  const tempStride = (rowBytes + 16) & ~15;
  const groupedRows = Math.ceil(rows / ROW_GROUP) * ROW_GROUP;
  const colFirst = horiz.first[0]!;
  let colEnd = colFirst;
  for (let i = 0; i < outW; i++) colEnd = Math.max(colEnd, horiz.first[i]! + horiz.taps[i]!);
  const inStride = (colEnd - colFirst) * 3;

  const layout = new Layout();
  const input = layout.take(groupedRows * inStride + SPARE_BYTES);
  const temp = layout.take(groupedRows * tempStride + SPARE_BYTES);
  const output = layout.take(outH * rowBytes + SPARE_BYTES);
  const hFirst = layout.take(outW * 4);
  const hTaps = layout.take(outW * 4);
  const hWeights = layout.take(horiz.weights.length * 4);
  const vFirst = layout.take(outH * 4);
  const vTaps = layout.take(outH * 4);
  const vWeights = layout.take(vert.weights.length * 4);
  const missing = Math.ceil(layout.end / PAGE_BYTES) - wasm.memory.buffer.byteLength / PAGE_BYTES;
  if (missing > 0) wasm.memory.grow(missing);

  const bytes = new Uint8Array(wasm.memory.buffer);
  const ints = new Int32Array(wasm.memory.buffer);
  const srcStride = src.width * 3;
  for (let r = 0, from = (plan.y0 * src.width + plan.x0 + colFirst) * 3; r < rows; r++, from += srcStride)
    bytes.set(src.data.subarray(from, from + inStride), input + r * inStride);
  for (let i = 0; i < outW; i++) ints[(hFirst >> 2) + i] = horiz.first[i]! - colFirst;
  ints.set(horiz.taps, hTaps >> 2);
  ints.set(horiz.weights, hWeights >> 2);
  for (let j = 0; j < outH; j++) ints[(vFirst >> 2) + j] = vert.first[j]! - rowFirst;
  ints.set(vert.taps, vTaps >> 2);
  ints.set(vert.weights, vWeights >> 2);

  wasm.horizontal(input, inStride, groupedRows, outW, hFirst, hTaps, hWeights, horiz.kernelSize, temp, tempStride);
  wasm.vertical(temp, tempStride, rowBytes, outH, vFirst, vTaps, vWeights, vert.kernelSize, output);
  return bytes.slice(output, output + outH * rowBytes);
}
