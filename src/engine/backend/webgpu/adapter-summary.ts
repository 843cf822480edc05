import type { ComputeDevice } from '../../../shared/backends';

/** The fields of a GPUAdapterInfo FixRes reads (Dawn fills them; browsers may blank some). */
export interface AdapterInfoFields {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** WebGPU's own flag for an adapter that may be much slower (Dawn sets it for CPU implementations). */
  isFallbackAdapter?: boolean;
}

/** CPU implementations of Vulkan, D3D12 and OpenGL, by the names their drivers report. */
const SOFTWARE_RENDERERS = /\b(swiftshader|llvmpipe|lavapipe|softpipe)\b|basic render driver/i;

/**
 * The adapter as FixRes reports it: its driver's description (e.g. "SwiftShader driver 5.0.0"),
 * and whether it is a software emulation, so its speed is never shown as a GPU's.
 */
export function summariseAdapter(info: AdapterInfoFields): ComputeDevice {
  const parts = [info.description, info.vendor, info.architecture, info.device].map((s) => s?.trim() ?? '');
  const name = parts[0] || parts.slice(1).filter(Boolean).join(' ') || 'unnamed WebGPU adapter';
  const software = info.isFallbackAdapter === true || parts.some((p) => SOFTWARE_RENDERERS.test(p));
  return { name, software };
}
