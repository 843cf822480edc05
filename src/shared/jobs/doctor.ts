import { z } from 'zod';

/** The rungs of the backend ladder, best first (DESIGN.md §3). */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const BackendName = z.enum(BACKEND_NAMES);
export type BackendName = z.infer<typeof BackendName>;

/** A higher rung that was not used, and why (package missing, addon failed, CUDA libraries absent, …). */
export const SkippedRung = z.object({ name: BackendName, reason: z.string() });
export type SkippedRung = z.infer<typeof SkippedRung>;

/** The backend an engine process runs on. */
export const BackendReport = z.object({
  /** The rung in use. */
  name: BackendName,
  /** tfjs's own name for it (tf.getBackend()). */
  tfBackend: z.string(),
  /** GPU name when TensorFlow runs on a CUDA device. */
  gpu: z.string().nullable(),
  /** Threads the backend computes with (wasm: XNNPACK's pool; cpu: 1). */
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
