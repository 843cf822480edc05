import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { explicitPadConvConfigs } from './conv2d-explicit-pad';
import { depthwiseBackpropConfigs } from './depthwise-backprop';
import { rememberShippedKernel } from './kernel-scope';
import { leadingAxesReduceConfigs } from './leading-axes-reduce';
import { maxPoolGradConfig } from './max-pool-grad';
import { batchNormConfig, perChannelBinaryConfigs } from './per-channel';
import { sharedIdentityConfig } from './shared-identity';

/** Our wasm kernels: the ones wasm lacks, and replacements for shipped ones that are wrong or slow. */
export const WASM_KERNELS: readonly KernelConfig[] = [
  ...explicitPadConvConfigs,
  conv2dBackpropInputConfig,
  conv2dBackpropFilterConfig,
  ...depthwiseBackpropConfigs,
  maxPoolGradConfig,
  ...perChannelBinaryConfigs,
  batchNormConfig,
  ...leadingAxesReduceConfigs,
  sharedIdentityConfig,
];

const ours = new Set(WASM_KERNELS.map((k) => k.kernelFunc));

/**
 * Puts our kernels in tfjs's registry for the wasm backend (idempotent). Call it after the wasm
 * backend is initialised: shipped kernels we replace keep running their setup (which binds their
 * wasm exports) and stay reachable for ours to delegate to. Returns the kernel names.
 */
export function registerWasmKernels(): string[] {
  for (const config of WASM_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current && ours.has(current.kernelFunc)) continue;
    if (current) {
      rememberShippedKernel(config.kernelName);
      unregisterKernel(config.kernelName, 'wasm');
    }
    registerKernel(config);
  }
  return WASM_KERNELS.map((k) => k.kernelName);
}
