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

/**
 * Our wasm kernels by purpose: `training` makes wasm able to train correctly (kernels it lacks,
 * fixes for wrong ones); the others replace shipped kernels that are correct but slow. The
 * profile bench registers them group by group to measure each.
 */
export const WASM_KERNEL_GROUPS = {
  training: [...explicitPadConvConfigs, conv2dBackpropFilterConfig, ...depthwiseBackpropConfigs, maxPoolGradConfig],
  'conv-backprop-input': [conv2dBackpropInputConfig],
  'per-channel': [...perChannelBinaryConfigs, batchNormConfig, ...leadingAxesReduceConfigs],
  'shared-identity': [sharedIdentityConfig],
} satisfies Record<string, KernelConfig[]>;

export type WasmKernelGroup = keyof typeof WASM_KERNEL_GROUPS;
export const ALL_WASM_KERNEL_GROUPS = Object.keys(WASM_KERNEL_GROUPS) as WasmKernelGroup[];

const ours = new Set(Object.values(WASM_KERNEL_GROUPS).flatMap((group) => group.map((k) => k.kernelFunc)));

/**
 * Puts our kernels in tfjs's registry for the wasm backend (idempotent). Call it after the wasm
 * backend is initialised: shipped kernels we replace keep running their setup (which binds their
 * wasm exports) and stay reachable for ours to delegate to. Returns the kernel names.
 */
export function registerWasmKernels(groups: readonly WasmKernelGroup[] = ALL_WASM_KERNEL_GROUPS): string[] {
  const configs = groups.flatMap((g) => WASM_KERNEL_GROUPS[g]);
  for (const config of configs) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current && ours.has(current.kernelFunc)) continue;
    if (current) {
      rememberShippedKernel(config.kernelName);
      unregisterKernel(config.kernelName, 'wasm');
    }
    registerKernel(config);
  }
  return configs.map((k) => k.kernelName);
}
