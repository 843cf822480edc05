import { afterEach, describe, expect, it } from 'vitest';
import { installNavigatorGpu } from '../../../../src/engine/backend/webgpu/dawn';

const host = globalThis as { navigator?: object };
const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
afterEach(() => {
  if (original) Object.defineProperty(globalThis, 'navigator', original);
  else delete host.navigator;
});

const setNavigator = (value: object) =>
  Object.defineProperty(globalThis, 'navigator', { value, configurable: true, writable: true });

describe('Dawn as navigator.gpu, where tfjs-backend-webgpu looks for it', () => {
  const gpu = { requestAdapter: () => null };

  it('makes a navigator where the runtime has none (Node 20)', () => {
    delete host.navigator;
    installNavigatorGpu(gpu);
    expect(host.navigator).toMatchObject({ gpu });
  });

  it('adds gpu to the runtime’s own navigator, keeping what it has (Node 21+, Electron)', () => {
    setNavigator({ hardwareConcurrency: 8 });
    installNavigatorGpu(gpu);
    expect(host.navigator).toMatchObject({ hardwareConcurrency: 8, gpu });
  });

  it('replaces a navigator that refuses new properties', () => {
    setNavigator(Object.freeze({ hardwareConcurrency: 8 }));
    installNavigatorGpu(gpu);
    expect(host.navigator).toMatchObject({ gpu });
  });
});
