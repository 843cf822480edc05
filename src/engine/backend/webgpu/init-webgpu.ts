import * as tf from '@tensorflow/tfjs-core';
import { dawnAdapter, type DawnAdapter } from './dawn';
import { registerWebgpuKernels } from './register-webgpu-kernels';

/** The limits tfjs-backend-webgpu raises to the adapter's maximum (as its own factory does). */
const RAISED_LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
] as const;

/**
 * Registers tfjs's 'webgpu' backend on Dawn's adapter, without switching to it. Ours replaces the
 * package's own factory so that the adapter the doctor names is the one that computes. Returns
 * false when Dawn has no adapter.
 */
export async function registerWebgpuBackend(): Promise<boolean> {
  const adapter = await dawnAdapter();
  if (!adapter) return false;
  // Imported after Dawn is installed as navigator.gpu: tfjs-backend-webgpu checks for it.
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu') && !ours) tf.removeBackend('webgpu');
  if (!ours) {
    ours = true;
    tf.registerBackend(
      'webgpu',
      async () => {
        const device = await adapter.requestDevice(deviceDescriptor(adapter));
        return new WebGPUBackend(device as never, adapter.info as never);
      },
      0,
    );
  }
  return true;
}

let ours = false;

/** Starts the 'webgpu' backend with FixRes's kernels; returns their names. */
export async function startWebgpu(): Promise<string[]> {
  if (!(await registerWebgpuBackend())) throw new Error('Dawn found no WebGPU adapter');
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not initialise the webgpu backend');
  return registerWebgpuKernels();
}

function deviceDescriptor(adapter: DawnAdapter): object {
  const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const requiredLimits = Object.fromEntries(RAISED_LIMITS.map((name) => [name, adapter.limits[name]]));
  return { requiredFeatures, requiredLimits };
}
