import type { ComputeDevice } from '../../../shared/backends';
import { summariseAdapter } from './adapter-summary';

/** The part of Dawn's GPU object (navigator.gpu) FixRes uses. */
interface DawnGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<DawnAdapter | null>;
}

/** A GPUAdapter as FixRes uses it; the full type lives in @webgpu/types. */
export interface DawnAdapter {
  readonly info: Parameters<typeof summariseAdapter>[0];
  readonly features: ReadonlySet<string>;
  readonly limits: Record<string, number>;
  requestDevice(descriptor?: object): Promise<unknown>;
}

let gpu: DawnGpu | null = null;

/**
 * Dawn's Node binding (npm `webgpu`), once per process, installed where tfjs-backend-webgpu looks
 * for it: the WebGPU globals (GPUBufferUsage, …) and navigator.gpu. Node 20 has no navigator;
 * Node 21+ and Electron have one without `gpu`.
 */
async function dawn(): Promise<DawnGpu> {
  if (gpu) return gpu;
  const { create, globals } = await import('webgpu');
  const instance = create([]) as unknown as DawnGpu;
  Object.assign(globalThis, globals);
  installNavigatorGpu(instance);
  gpu = instance;
  return instance;
}

/** Puts Dawn at navigator.gpu: on the runtime's navigator when it takes it, else on a navigator of our own. */
export function installNavigatorGpu(instance: object): void {
  const host = globalThis as { navigator?: { gpu?: unknown } };
  try {
    if (host.navigator) Object.defineProperty(host.navigator, 'gpu', { value: instance, configurable: true });
  } catch {
    // A navigator that refuses new properties is replaced below.
  }
  if (host.navigator?.gpu !== instance) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: instance }, configurable: true, writable: true });
  }
}

let adapter: Promise<DawnAdapter | null> | null = null;

/** The adapter Dawn prefers for compute (its high-performance choice), asked once; null when there is none. */
export function dawnAdapter(): Promise<DawnAdapter | null> {
  adapter ??= dawn().then((g) => g.requestAdapter({ powerPreference: 'high-performance' }));
  return adapter;
}

/** That adapter as FixRes reports it (name, software or not); null when Dawn found none. */
export async function dawnDevice(): Promise<ComputeDevice | null> {
  const found = await dawnAdapter();
  return found ? summariseAdapter(found.info) : null;
}
