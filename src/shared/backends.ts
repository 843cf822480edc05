import { z } from 'zod';

/** The tfjs backends a run can train on, best first (DESIGN.md §3): the one list every schema derives from. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const BackendName = z.enum(BACKEND_NAMES);
export type BackendName = z.infer<typeof BackendName>;

/**
 * Every rung of the ladder `fixres doctor` reports, best first: the tfjs backends plus ONNX
 * Runtime, which runs forward passes only (sweeps, statistics, predictions) and never trains.
 */
export const RUNG_NAMES = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'onnxruntime', 'wasm', 'cpu'] as const;
export const RungName = z.enum(RUNG_NAMES);
export type RungName = z.infer<typeof RungName>;

/** What each rung is, in words a practitioner recognises. */
export const RUNG_TITLES: Record<RungName, string> = {
  'tensorflow-gpu': 'CUDA (tfjs-node-gpu)',
  webgpu: 'WebGPU (Dawn)',
  tensorflow: 'native CPU (tfjs-node)',
  onnxruntime: 'ONNX Runtime (forward passes)',
  wasm: 'WebAssembly',
  cpu: 'pure JavaScript',
};

/**
 * Folders (colon-separated) of side-by-side CUDA 11.2 + cuDNN 8 libraries for tfjs-node-gpu on a
 * CUDA 12 machine: the lab puts them on the engine's LD_LIBRARY_PATH, the engine looks there.
 */
export const CUDA_LIBS_ENV = 'FIXRES_CUDA_LIBS';

/** Said next to every device that emulates a GPU on the CPU, so its speed is never read as a GPU's. */
export const SOFTWARE_ADAPTER_LABEL = 'software, not a GPU';

/** A device's name as shown everywhere: "SwiftShader driver 5.0.0 (software, not a GPU)" for an emulation. */
export function deviceLabel(device: { name: string; software: boolean }): string {
  return device.software ? `${device.name} (${SOFTWARE_ADAPTER_LABEL})` : device.name;
}

/**
 * What a run, sweep or speed probe records as its backend: the rung, and the device when there is
 * one ("webgpu · SwiftShader driver 5.0.0 (software, not a GPU)"), so its img/s is never read as
 * another device's.
 */
export function backendLabel(report: { name: string; device: { name: string; software: boolean } | null }): string {
  return report.device ? `${report.name} · ${deviceLabel(report.device)}` : report.name;
}

/** The GPU (or GPU emulation) a rung computes on. */
export const ComputeDevice = z.object({
  /** The adapter's or GPU's name ("NVIDIA RTX A4000", "SwiftShader driver 5.0.0"). */
  name: z.string(),
  /** A CPU implementation of a GPU API (SwiftShader, llvmpipe): runs GPU code, at CPU speed. */
  software: z.boolean(),
});
export type ComputeDevice = z.infer<typeof ComputeDevice>;

/** One rung of the ladder as `fixres doctor --json` and the backend picker see it. */
export const RungStatus = z.object({
  name: RungName,
  /** It loads on this machine when chosen. */
  available: z.boolean(),
  /** The ladder takes it without being asked (a software adapter is available but only when chosen). */
  automatic: z.boolean(),
  /** The engine computes on it now. */
  inUse: z.boolean(),
  /** Forward passes only (ONNX Runtime): never offered for training. */
  forwardOnly: z.boolean(),
  device: ComputeDevice.nullable(),
  /** Why it is or is not available. */
  reason: z.string(),
  /** What to do to make it available (or usable automatically); null when there is nothing to do. */
  action: z.string().nullable(),
});
export type RungStatus = z.infer<typeof RungStatus>;

/** The rungs a run may be asked to train on: available tfjs backends, best first. */
export function trainableRungs(rungs: readonly RungStatus[]): (RungStatus & { name: BackendName })[] {
  return rungs.filter((r): r is RungStatus & { name: BackendName } => r.available && !r.forwardOnly && isBackendName(r.name));
}

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}
