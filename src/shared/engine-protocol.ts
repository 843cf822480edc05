import type { ErrorInfo } from './errors';
import type { CropsJob } from './jobs/crops';
import type { ImportJob } from './jobs/import';
import type { InspectJob } from './jobs/inspect';
import type { DoctorJob } from './jobs/doctor';
import type { ScanJob } from './jobs/scan';
import type { SynthJob } from './jobs/synth';
import type { ThumbnailJob } from './jobs/thumbnail';
import type { EvaluateJob } from './jobs/eval';
import type { TrainJob } from './jobs/train';
import type { ExportModelJob, SpeedProbeJob, SweepJob } from './jobs/sweep';
import type { AdoptModelJob, ExportWeightsJob, ImportWeightsJob, PredictJob } from './jobs/models';

export type { ScannedImage, ScanInput, ScanProgressMessage, ScanResult, ScanSummary, SkippedFile } from './jobs/scan';

/** Every job the engine process runs, one file per domain in ./jobs: its input, progress and result types. */
export interface EngineJobs {
  scan: ScanJob;
  inspect: InspectJob;
  thumbnail: ThumbnailJob;
  crops: CropsJob;
  synth: SynthJob;
  import: ImportJob;
  train: TrainJob;
  evaluate: EvaluateJob;
  doctor: DoctorJob;
  sweep: SweepJob;
  'speed-probe': SpeedProbeJob;
  'export-model': ExportModelJob;
  'import-weights': ImportWeightsJob;
  'adopt-model': AdoptModelJob;
  predict: PredictJob;
  'export-weights': ExportWeightsJob;
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

/**
 * Job errors after which the engine process must not run another job: memory ran out (a wasm heap
 * that could not grow is left corrupt; the process may keep gigabytes), or its WebAssembly runtime
 * trapped or aborted (the module stays broken). The lab replaces the process before the next job.
 */
export const ENGINE_BROKEN_ERRORS: ReadonlySet<string> = new Set(['OutOfMemory', 'EngineTrapped']);
