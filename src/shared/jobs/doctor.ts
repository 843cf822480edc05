import { z } from 'zod';
import { BackendName, ComputeDevice, RungName, RungStatus } from '../backends';

/** A higher rung that was not used, why (package missing, addon failed, CUDA libraries absent, …) and what to do. */
export const SkippedRung = z.object({ name: RungName, reason: z.string(), action: z.string().nullable() });
export type SkippedRung = z.infer<typeof SkippedRung>;

/** The backend an engine process runs on. */
export const BackendReport = z.object({
  /** The rung in use. */
  name: BackendName,
  /** tfjs's own name for it (tf.getBackend()). */
  tfBackend: z.string(),
  /** The CUDA GPU or WebGPU adapter it computes on (null on the CPU rungs). */
  device: ComputeDevice.nullable(),
  /** Threads the backend computes with (wasm: XNNPACK's pool; cpu: 1; GPUs: the host's cores). */
  threads: z.number().int().positive(),
  /** wasm only: whether the SIMD build runs. */
  simd: z.boolean().nullable(),
  /** True when FIXRES_BACKEND (or --backend) chose the rung. */
  forced: z.boolean(),
  skipped: z.array(SkippedRung),
  /** Things worth knowing that did not skip a rung (e.g. why wasm runs on one thread). */
  notes: z.array(z.string()),
  /** Kernels FixRes registered on this backend (wasm: training kernels and fixes). */
  kernels: z.array(z.string()),
});
export type BackendReport = z.infer<typeof BackendReport>;

/** What `fixres doctor` and the status bar show: the backend plus the versions and machine behind it. */
export const DoctorReport = z.object({
  backend: BackendReport,
  /** Every rung of the ladder, best first, with whether it loads here, why, and what to do. */
  rungs: z.array(RungStatus),
  /** The rung a job that names none runs on: FIXRES_BACKEND, else the ladder's choice ("Automatic"). */
  defaultBackend: BackendName,
  versions: z.object({
    tfjs: z.string(),
    node: z.string(),
    v8: z.string(),
    electron: z.string().nullable(),
  }),
  platform: z.object({
    os: z.string(),
    release: z.string(),
    arch: z.string(),
    cpuModel: z.string(),
    cpuCores: z.number().int(),
    memoryGb: z.number(),
  }),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

/** The engine job behind `fixres doctor` and `engine.status`: reports the backend (choosing it if needed). */
export const DoctorInput = z.object({}).strict();

export interface DoctorJob {
  input: z.infer<typeof DoctorInput>;
  progress: never;
  result: DoctorReport;
}
