import { describe, expect, it } from 'vitest';
import {
  forwardBytes,
  forwardLimit,
  forwardRefusal,
  machineMemory,
  ORT_LARGEST_OUTPUTS,
  type ForwardPlace,
} from '../../src/core/forward-memory';
import { BASE_BYTES, WASM_HEAP_BYTES } from '../../src/core/training-memory';

const GB = 2 ** 30;
const fp = { allOutputsBytesPerPixel: 2000, largestOutputBytesPerPixel: 64 };
const ort: ForwardPlace = { engine: 'onnxruntime', backend: 'wasm', gpu: false };
const wasm: ForwardPlace = { engine: 'tfjs', backend: 'wasm', gpu: false };
const machine = machineMemory(16 * GB, undefined);

describe('forward-pass memory', () => {
  it('grows with K² × batch: tfjs keeps every output of a pass, ONNX Runtime a few of the largest', () => {
    expect(forwardBytes(fp, 'tfjs', 448, 8) - BASE_BYTES).toBe(4 * 2 * (forwardBytes(fp, 'tfjs', 224, 4) - BASE_BYTES));
    expect(forwardBytes(fp, 'onnxruntime', 100, 1) - BASE_BYTES).toBe((ORT_LARGEST_OUTPUTS * 64 + 12) * 100 * 100);
    expect(forwardBytes(fp, 'onnxruntime', 512, 8)).toBeLessThan(forwardBytes(fp, 'tfjs', 512, 8));
  });

  it("limits ONNX Runtime on a CPU and tfjs's CPU backends by the machine, wasm by its heap; GPUs are not checked", () => {
    expect(forwardLimit(ort, machine)).toEqual({ bytes: 16 * GB, holder: "ONNX Runtime has 16 GB (this machine's memory)" });
    expect(forwardLimit(wasm, machine)).toEqual({ bytes: WASM_HEAP_BYTES, holder: 'the WebAssembly backend has 4 GB' });
    expect(forwardLimit({ ...wasm, backend: 'cpu' }, machine)?.holder).toBe(
      "tfjs on JavaScript CPU backend has 16 GB (this machine's memory)",
    );
    expect(forwardLimit({ ...ort, gpu: true }, machine)).toBeNull();
    expect(forwardLimit({ ...wasm, backend: 'webgpu' }, machine)).toBeNull();
  });

  it("takes the lab's share of the machine from FIXRES_MEMORY_GB, ignoring a value that is not a positive number", () => {
    expect(machineMemory(16 * GB, '0.5')).toEqual({ bytes: 0.5 * GB, source: 'FIXRES_MEMORY_GB' });
    for (const bad of ['', 'lots', '-1', '0']) expect(machineMemory(16 * GB, bad).bytes).toBe(16 * GB);
  });

  it('refuses what does not fit with its need, the limit and the largest batch that fits (which the estimate then accepts)', () => {
    expect(forwardRefusal(fp, wasm, 224, 8, machine)).toBeNull();
    const refusal = forwardRefusal(fp, wasm, 1024, 64, machine)!;
    const [, need, fits] =
      /^K 1024 × batch 64 needs ~(\d+\.\d) GB; the WebAssembly backend has 4 GB: lower the batch to ≤ (\d+)$/.exec(refusal)!;
    expect(Number(need)).toBeCloseTo(forwardBytes(fp, 'tfjs', 1024, 64) / GB, 1);
    expect(forwardRefusal(fp, wasm, 1024, Number(fits), machine)).toBeNull();
    expect(forwardBytes(fp, 'tfjs', 1024, Number(fits) + 1)).toBeGreaterThan(0.9 * WASM_HEAP_BYTES);
  });

  it('asks for a smaller K when even one image does not fit', () => {
    const refusal = forwardRefusal(fp, ort, 1024, 4, machineMemory(16 * GB, '0.2'))!;
    expect(refusal).toMatch(
      /^K 1024 × batch 4 needs ~\d\.\d GB; ONNX Runtime has 0\.2 GB \(FIXRES_MEMORY_GB\): even one image is too large: lower K to ≤ \d+$/,
    );
    const k = Number(/≤ (\d+)$/.exec(refusal)![1]);
    expect(forwardRefusal(fp, ort, k, 1, machineMemory(16 * GB, '0.2'))).toBeNull();
  });
});
