import { describe, expect, it } from 'vitest';
import { automaticLabel, backendOptions, retryBackend, unavailableReason } from '../../src/renderer/src/lib/backend-choices';
import type { RungName, RungStatus } from '../../src/shared/backends';

const rung = (name: RungName, over: Partial<RungStatus> = {}): RungStatus => ({
  name,
  available: true,
  automatic: true,
  inUse: false,
  forwardOnly: name === 'onnxruntime',
  device: null,
  reason: 'loads',
  action: null,
  ...over,
});
const missing = (name: RungName, reason: string) => rung(name, { available: false, automatic: false, reason });

/** A machine with SwiftShader only: no CUDA, no tfjs-node; wasm in use. */
const rungs = [
  missing('tensorflow-gpu', '@tensorflow/tfjs-node-gpu is not installed'),
  rung('webgpu', { automatic: false, device: { name: 'SwiftShader driver 5.0.0', software: true } }),
  missing('tensorflow', '@tensorflow/tfjs-node is not installed'),
  rung('onnxruntime'),
  rung('wasm', { inUse: true }),
  rung('cpu'),
];
const swiftshaderOnly = { rungs, defaultBackend: 'wasm' } as const;

describe('the backend picker', () => {
  it('offers only the rungs that load, never ONNX Runtime, and names a software adapter as not a GPU', () => {
    expect(backendOptions(rungs)).toEqual([
      { value: 'webgpu', label: 'webgpu · WebGPU (Dawn) · SwiftShader driver 5.0.0 (software, not a GPU)' },
      { value: 'wasm', label: 'wasm · WebAssembly' },
      { value: 'cpu', label: 'cpu · pure JavaScript' },
    ]);
  });

  it('says which rung Automatic stands for: the first the ladder takes unasked (not a software adapter)', () => {
    expect(automaticLabel(swiftshaderOnly)).toBe('Automatic (wasm · WebAssembly)');
    const gpu = rungs.map((r) =>
      r.name === 'webgpu' ? { ...r, automatic: true, device: { name: 'NVIDIA RTX A4000', software: false } } : r,
    );
    expect(automaticLabel({ rungs: gpu, defaultBackend: 'webgpu' })).toBe(
      'Automatic (webgpu · WebGPU (Dawn) · NVIDIA RTX A4000)',
    );
    expect(automaticLabel(null)).toBe('Automatic (best that loads)');
  });

  it('names the rung FIXRES_BACKEND forces as what Automatic stands for', () => {
    expect(automaticLabel({ rungs, defaultBackend: 'cpu' })).toBe('Automatic (cpu · pure JavaScript)');
  });
});

describe('retrying a run whose backend cannot load here', () => {
  it('offers the automatic rung instead of a Resume that would fail the same way, with the reason', () => {
    expect(retryBackend(swiftshaderOnly, 'tensorflow-gpu')?.name).toBe('wasm');
    expect(unavailableReason(swiftshaderOnly, 'tensorflow-gpu')).toBe('@tensorflow/tfjs-node-gpu is not installed');
  });

  it('offers nothing when the asked rung loads (a software adapter chosen by name loads), or nothing was asked', () => {
    expect(retryBackend(swiftshaderOnly, 'webgpu')).toBeNull();
    expect(retryBackend(swiftshaderOnly, undefined)).toBeNull();
    expect(retryBackend(null, 'tensorflow-gpu')).toBeNull();
  });

  it('falls back to the best rung that loads when no rung is automatic', () => {
    const onlyChosen = [
      missing('tensorflow-gpu', 'no'),
      rung('webgpu', { automatic: false }),
      missing('wasm', 'no'),
      missing('cpu', 'no'),
    ];
    expect(retryBackend({ rungs: onlyChosen, defaultBackend: 'wasm' }, 'tensorflow-gpu')?.name).toBe('webgpu');
  });
});
