import { existsSync } from 'node:fs';
import type { ComputeDevice } from '../../src/shared/backends';
import { nodeSystemProbes } from '../../src/engine/backend/system-probes';
import { findVulkanDrivers } from '../../src/engine/backend/webgpu/vulkan-drivers';

/** SwiftShader's Vulkan driver, shipped by Debian's chromium package (CI installs it for the e2e tests). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * The environment that gives Dawn an adapter on this machine: the machine's own Vulkan drivers
 * when it has any, else SwiftShader's (a CPU emulation: small tensors only). Empty when neither.
 */
export function webgpuTestEnv(): Record<string, string> {
  if (findVulkanDrivers(nodeSystemProbes).manifests.length) return {};
  return existsSync(SWIFTSHADER_ICD) ? { VK_ICD_FILENAMES: SWIFTSHADER_ICD } : {};
}

export interface WebgpuForTests {
  device: ComputeDevice | null;
  /** Why webgpu tests are skipped here, printed by the test file; null when they run. */
  skip: string | null;
}

let found: Promise<WebgpuForTests> | null = null;

/**
 * Registers tfjs's webgpu backend in this test process (without switching to it) on the adapter
 * webgpuTestEnv() gives, or says why there is none.
 */
export function webgpuForTests(): Promise<WebgpuForTests> {
  found ??= (async () => {
    Object.assign(process.env, webgpuTestEnv());
    if (!findVulkanDrivers(nodeSystemProbes).manifests.length) {
      return { device: null, skip: `no Vulkan driver and no ${SWIFTSHADER_ICD} (apt-get install chromium)` };
    }
    const { registerWebgpuBackend } = await import('../../src/engine/backend/webgpu/init-webgpu');
    const { dawnDevice } = await import('../../src/engine/backend/webgpu/dawn');
    if (!(await registerWebgpuBackend())) return { device: null, skip: 'Dawn found no WebGPU adapter' };
    return { device: await dawnDevice(), skip: null };
  })();
  return found;
}
