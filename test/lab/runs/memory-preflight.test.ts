import { afterEach, describe, expect, it } from 'vitest';
import { refuseIfTooLarge } from '../../../src/lab/runs/memory-preflight';
import { RunConfig, type RunConfigInput } from '../../../src/shared/api/runs';

const config = (extra: Partial<RunConfigInput> = {}) =>
  RunConfig.parse({ datasetId: 1, arch: 'resnet18', width: 1, kTrain: 224, epochs: 1, batchSize: 128, lr: 0.05, ...extra });
const refused = /^K 224 × batch 128 needs ~\d+\.\d GB; the WebAssembly backend has 4 GB: lower the batch to ≤ \d+$/;

afterEach(() => {
  delete process.env.FIXRES_FORWARD;
});

describe('the memory check before a run is stored', () => {
  it('refuses a training step too large for the WebAssembly heap, and a fine-tune that trains every BatchNorm', () => {
    expect(() => refuseIfTooLarge(config(), 10, 'wasm', false)).toThrow(refused);
    expect(() => refuseIfTooLarge(config({ trainable: 'bn+classifier' }), 10, 'wasm', true)).toThrow(refused);
    expect(() => refuseIfTooLarge(config(), 10, null, false)).not.toThrow(); // the engine checks once it knows
  });

  it('leaves a head-only fine-tune (the default, the official recipe) to the engine, whose frozen trunk runs forward-only on ONNX Runtime, unless tfjs is forced', () => {
    for (const trainable of ['classifier', 'last-bn+classifier'] as const) {
      expect(() => refuseIfTooLarge(config({ trainable }), 10, 'wasm', true)).not.toThrow();
    }
    expect(() => refuseIfTooLarge(config(), 10, 'wasm', true)).not.toThrow();
    process.env.FIXRES_FORWARD = 'tfjs';
    expect(() => refuseIfTooLarge(config({ trainable: 'classifier' }), 10, 'wasm', true)).toThrow(refused);
  });
});
