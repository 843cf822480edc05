import { describe, expect, it } from 'vitest';
import {
  activationsPerPixel,
  largestBatch,
  memoryLimitOf,
  memoryRefusal,
  outOfMemoryMessage,
  parameterCount,
  trainingBytes,
  WASM_HEAP_BYTES,
} from '../../src/core/training-memory';
import { MODELS } from '../../src/shared/models/registry';

const GB = 2 ** 30;
const mini = { graph: MODELS['resnet-mini'], width: 1, numClasses: 10 };

describe('training memory estimate', () => {
  it('counts the values a resnet-mini forward pass keeps per pixel, layer by layer', () => {
    // input 3; stem conv/bn/relu 3·16; stage 1 (no shortcut) 5·16 + 2·16; stage 2 at ¼ (5·32 + 2·32 + 2·32)/4; stage 3 at 1/16.
    expect(activationsPerPixel(MODELS['resnet-mini'], 1)).toBe(3 + 48 + 112 + 288 / 4 + 576 / 16);
    expect(activationsPerPixel(MODELS['resnet-mini'], 1, [2, 2, 2])).toBeGreaterThan(
      activationsPerPixel(MODELS['resnet-mini'], 1),
    );
  });

  it('counts exactly torchvision’s parameters for ResNet-18 and ResNet-50 (1000 classes)', () => {
    expect(parameterCount(MODELS.resnet18, 1, 1000)).toBe(11_689_512);
    expect(parameterCount(MODELS.resnet50, 1, 1000)).toBe(25_557_032);
  });

  it('grows with batch and K² and refuses a run past the WebAssembly heap with the size, the limit and a batch that fits', () => {
    const shape = { ...mini, k: 1024, batch: 256 };
    expect(trainingBytes({ ...shape, batch: 2 }) - trainingBytes({ ...shape, batch: 1 })).toBeCloseTo(
      (trainingBytes({ ...shape, k: 2048, batch: 2 }) - trainingBytes({ ...shape, k: 2048, batch: 1 })) / 4,
      -3,
    );
    const wasm = memoryLimitOf('wasm', 24 * GB);
    const refusal = memoryRefusal(shape, wasm)!;
    expect(refusal).toMatch(
      /^K 1024 × batch 256 needs ~\d+\.\d GB; the WebAssembly backend has 4 GB: (lower the batch to ≤ \d+|even one image is too large: lower K to ≤ \d+)$/,
    );
    const small = { ...mini, k: 256, batch: 256 };
    const fits = largestBatch(small, WASM_HEAP_BYTES);
    expect(memoryRefusal(small, wasm)).toBe(
      `K 256 × batch 256 needs ~${(trainingBytes(small) / GB).toFixed(1)} GB; the WebAssembly backend has 4 GB: lower the batch to ≤ ${fits}`,
    );
    expect(trainingBytes({ ...small, batch: fits })).toBeLessThanOrEqual(0.9 * WASM_HEAP_BYTES);
    expect(trainingBytes({ ...small, batch: fits + 1 })).toBeGreaterThan(0.9 * WASM_HEAP_BYTES);
    expect(memoryRefusal({ ...small, batch: fits }, wasm)).toBeNull();
  });

  it('names the machine’s memory for CPU backends and knows no limit for GPUs', () => {
    expect(memoryLimitOf('cpu', 8 * GB)).toEqual({ bytes: 8 * GB, holder: 'this machine has 8 GB of memory' });
    expect(memoryLimitOf('tensorflow', 8 * GB)?.bytes).toBe(8 * GB);
    expect(memoryLimitOf('tensorflow-gpu', 8 * GB)).toBeNull();
    expect(memoryRefusal({ ...mini, k: 1024, batch: 256 }, null)).toBeNull();
  });

  it('says a run that ran out anyway needed how much, on which backend, and to at least halve the batch', () => {
    const shape = { ...mini, k: 128, batch: 32 };
    expect(outOfMemoryMessage(shape, 'wasm', memoryLimitOf('wasm', 24 * GB), 'memory access out of bounds')).toBe(
      `K 128 × batch 32 needs ~${(trainingBytes(shape) / GB).toFixed(1)} GB; the WebAssembly backend ran out of memory ` +
        '(memory access out of bounds; the WebAssembly backend has 4 GB): lower the batch to ≤ 16',
    );
  });
});
