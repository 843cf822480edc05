import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { maxPoolGradConfig } from './kernels/max-pool-grad';

/** Kernels that replace tfjs-webgpu's where it gives other results than the cpu backend and PyTorch. */
const WEBGPU_KERNELS: KernelConfig[] = [maxPoolGradConfig];

/** Puts our webgpu kernels in tfjs's registry in place of the shipped ones (idempotent); returns their names. */
export function registerWebgpuKernels(): string[] {
  for (const config of WEBGPU_KERNELS) {
    const current = getKernel(config.kernelName, 'webgpu');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current) unregisterKernel(config.kernelName, 'webgpu');
    registerKernel(config);
  }
  return WEBGPU_KERNELS.map((k) => k.kernelName);
}
