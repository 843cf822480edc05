import type { ErrorInfo } from './errors';
import type { DoctorJob } from './jobs/doctor';
import type { ScanJob } from './jobs/scan';

export type { ScannedImage, ScanInput, ScanProgressMessage, ScanResult } from './jobs/scan';

/** Every job the engine process runs, one file per domain in ./jobs: its input, progress and result types. */
export interface EngineJobs {
  scan: ScanJob;
  doctor: DoctorJob;
}

export type JobKind = keyof EngineJobs;

export type ToEngine =
  | { [K in JobKind]: { type: 'start'; jobId: string; kind: K; input: EngineJobs[K]['input'] } }[JobKind]
  | { type: 'cancel'; jobId: string };

export type FromEngine =
  | { type: 'ready'; pid: number }
  | { type: 'progress'; jobId: string; progress: unknown }
  | { type: 'result'; jobId: string; result: unknown }
  | { type: 'error'; jobId: string; error: ErrorInfo };
