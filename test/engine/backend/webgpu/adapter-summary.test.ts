import { describe, expect, it } from 'vitest';
import { summariseAdapter } from '../../../../src/engine/backend/webgpu/adapter-summary';

describe('a WebGPU adapter as FixRes reports it', () => {
  it('names SwiftShader by its driver and marks it software (Dawn’s own fallback flag)', () => {
    const info = {
      vendor: 'google',
      architecture: 'swiftshader',
      device: 'swiftshader-device-subzero-',
      description: 'SwiftShader driver 5.0.0',
      isFallbackAdapter: true,
    };
    expect(summariseAdapter(info)).toEqual({ name: 'SwiftShader driver 5.0.0', software: true });
  });

  it('marks CPU drivers as software by name even without the flag (llvmpipe, lavapipe, WARP)', () => {
    expect(summariseAdapter({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }).software).toBe(true);
    expect(summariseAdapter({ vendor: 'mesa', architecture: 'lavapipe' }).software).toBe(true);
    expect(summariseAdapter({ description: 'Microsoft Basic Render Driver' }).software).toBe(true);
  });

  it('reports a hardware GPU as one, named from vendor and architecture when the driver gives no description', () => {
    expect(summariseAdapter({ description: 'NVIDIA GeForce RTX 4090', vendor: 'nvidia', isFallbackAdapter: false })).toEqual({
      name: 'NVIDIA GeForce RTX 4090',
      software: false,
    });
    expect(summariseAdapter({ vendor: 'amd', architecture: 'rdna-3', description: '' })).toEqual({
      name: 'amd rdna-3',
      software: false,
    });
    expect(summariseAdapter({})).toEqual({ name: 'unnamed WebGPU adapter', software: false });
  });
});
