import { z } from 'zod';
import { ErrorInfo } from './errors';
import { CropPatchesInput, type CropsJob } from './jobs/crops';
import { DoctorInput, type DoctorJob } from './jobs/doctor';
import { EvaluateInput, type EvaluateJob } from './jobs/eval';
import { ImportInput, type ImportJob } from './jobs/import';
import { InspectInput, type InspectJob } from './jobs/inspect';
import { ScanInput, type ScanJob } from './jobs/scan';
import {
  ExportModelInput,
  SpeedProbeInput,
  SweepInput,
  type ExportModelJob,
  type SpeedProbeJob,
  type SweepJob,
} from './jobs/sweep';
import { SynthInput, type SynthJob } from './jobs/synth';
import { ThumbnailInput, type ThumbnailJob } from './jobs/thumbnail';
import { TrainInput, type TrainJob } from './jobs/train';
import {
  AdoptModelInput,
  ExportWeightsInput,
  ImportWeightsInput,
  PredictInput,
  type AdoptModelJob,
  type ExportWeightsJob,
  type ImportWeightsJob,
  type PredictJob,
} from './jobs/models';

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

/** The schema of every job's input: the engine refuses a job whose input does not match. */
export const JOB_INPUTS: { [K in JobKind]: z.ZodType<EngineJobs[K]['input']> } = {
  scan: ScanInput,
  inspect: InspectInput,
  thumbnail: ThumbnailInput,
  crops: CropPatchesInput,
  synth: SynthInput,
  import: ImportInput,
  train: TrainInput,
  evaluate: EvaluateInput,
  doctor: DoctorInput,
  sweep: SweepInput,
  'speed-probe': SpeedProbeInput,
  'export-model': ExportModelInput,
  'import-weights': ImportWeightsInput,
  'adopt-model': AdoptModelInput,
  predict: PredictInput,
  'export-weights': ExportWeightsInput,
};

export const JobKindName = z.enum(Object.keys(JOB_INPUTS) as [JobKind, ...JobKind[]]);
const JobId = z.string().min(1).max(100);

/** What the lab sends an engine. A start's input is checked against JOB_INPUTS[kind] by the engine (parseJobInput). */
export const ToEngineMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), jobId: JobId, kind: JobKindName, input: z.unknown() }).strict(),
  z.object({ type: z.literal('cancel'), jobId: JobId }).strict(),
]);

export type ToEngine =
  | { [K in JobKind]: { type: 'start'; jobId: string; kind: K; input: EngineJobs[K]['input'] } }[JobKind]
  | { type: 'cancel'; jobId: string };

/**
 * What an engine sends the lab. Progress and results are the engine's own typed values
 * (EngineJobs); the envelope is checked so a malformed message can never be routed.
 */
export const FromEngine = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }).strict(),
  z.object({ type: z.literal('progress'), jobId: JobId, progress: z.unknown() }).strict(),
  z.object({ type: z.literal('result'), jobId: JobId, result: z.unknown() }).strict(),
  z.object({ type: z.literal('error'), jobId: JobId, error: ErrorInfo }).strict(),
  /** A message the engine could not read at all (no job to answer): it says so instead of crashing. */
  z.object({ type: z.literal('refused'), reason: z.string() }).strict(),
]);
export type FromEngine = z.infer<typeof FromEngine>;

/** The first problem zod found, as "path: message" (what a refused message reports). */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** A start message's input, checked against its job's schema: the parsed input, or why it is refused. */
export function parseJobInput<K extends JobKind>(
  kind: K,
  input: unknown,
): { ok: true; input: EngineJobs[K]['input'] } | { ok: false; message: string } {
  const parsed = JOB_INPUTS[kind].safeParse(input);
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, message: `The ${kind} job's input is invalid (${describeIssue(parsed.error)})` };
}

/**
 * Job errors after which the engine process must not run another job: memory ran out (a wasm heap
 * that could not grow is left corrupt; the process may keep gigabytes), or its WebAssembly runtime
 * trapped or aborted (the module stays broken). The lab replaces the process before the next job.
 */
export const ENGINE_BROKEN_ERRORS: ReadonlySet<string> = new Set(['OutOfMemory', 'EngineTrapped']);
