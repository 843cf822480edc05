import { describe, expect, it } from 'vitest';
import { chooseForwardEngine, requestedForwardEngine } from '../../../src/engine/eval/forward-choice';
import type { OnnxRuntimeProbe } from '../../../src/engine/onnx/ort-runtime';

const cpuOnly: OnnxRuntimeProbe = { available: true, version: '1.31.1', providers: ['cpu'], reason: null, action: null };
const withCuda: OnnxRuntimeProbe = { ...cpuOnly, providers: ['cuda', 'cpu'] };
const missing: OnnxRuntimeProbe = {
  available: false,
  version: null,
  providers: [],
  reason: 'onnxruntime-node failed to load: x',
  action: null,
};
const wasm = { name: 'wasm', device: null };
const cuda = { name: 'tensorflow-gpu', device: { name: 'NVIDIA RTX 4090', software: false } };
const radeon = { name: 'webgpu', device: { name: 'AMD Radeon RX 7900 XT', software: false } };
const swiftshader = { name: 'webgpu', device: { name: 'SwiftShader driver 5.0.0', software: true } };

describe('chooseForwardEngine', () => {
  it('picks ONNX Runtime over every CPU rung of tfjs', () => {
    for (const name of ['tensorflow', 'wasm', 'cpu']) {
      expect(chooseForwardEngine({ requested: undefined, backend: { name, device: null }, ort: cpuOnly }).engine).toBe(
        'onnxruntime',
      );
    }
  });

  it('keeps tfjs on a GPU unless ONNX Runtime has its CUDA provider too', () => {
    expect(chooseForwardEngine({ requested: undefined, backend: cuda, ort: cpuOnly })).toMatchObject({
      engine: 'tfjs',
      reason: expect.stringContaining('NVIDIA RTX 4090'),
    });
    expect(chooseForwardEngine({ requested: undefined, backend: cuda, ort: withCuda }).engine).toBe('onnxruntime');
  });

  it('keeps tfjs on a WebGPU hardware adapter, and takes ONNX Runtime over a software one (SwiftShader runs on the CPU)', () => {
    expect(chooseForwardEngine({ requested: undefined, backend: radeon, ort: cpuOnly })).toMatchObject({
      engine: 'tfjs',
      reason: expect.stringContaining('AMD Radeon RX 7900 XT'),
    });
    expect(chooseForwardEngine({ requested: undefined, backend: swiftshader, ort: cpuOnly })).toEqual({
      engine: 'onnxruntime',
      reason: 'ONNX Runtime is faster than tfjs webgpu on SwiftShader driver 5.0.0 (software, not a GPU)',
    });
  });

  it('falls back to tfjs when ONNX Runtime does not load, saying why', () => {
    expect(chooseForwardEngine({ requested: undefined, backend: wasm, ort: missing })).toEqual({
      engine: 'tfjs',
      reason: 'ONNX Runtime is not available (onnxruntime-node failed to load: x)',
    });
  });

  it('obeys FIXRES_FORWARD, and refuses onnxruntime by name where it does not load', () => {
    expect(chooseForwardEngine({ requested: 'tfjs', backend: wasm, ort: cpuOnly }).engine).toBe('tfjs');
    expect(chooseForwardEngine({ requested: 'onnxruntime', backend: cuda, ort: cpuOnly }).engine).toBe('onnxruntime');
    expect(() => chooseForwardEngine({ requested: 'onnxruntime', backend: wasm, ort: missing })).toThrow(/not available/);
  });

  it('reads FIXRES_FORWARD and rejects other values with what to set', () => {
    expect(requestedForwardEngine(undefined)).toBeUndefined();
    expect(requestedForwardEngine(' onnxruntime ')).toBe('onnxruntime');
    expect(() => requestedForwardEngine('ort')).toThrow('FIXRES_FORWARD must be "tfjs" or "onnxruntime"; got "ort"');
  });
});
