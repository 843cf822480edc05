import type { EngineJobs, JobKind } from '../../shared/engine-protocol';
import { scanImageFolder } from '../data/scan-image-folder';

export interface JobContext<P> {
  signal: AbortSignal;
  progress(p: P): void;
}

type JobHandlers = {
  [K in JobKind]: (input: EngineJobs[K]['input'], ctx: JobContext<EngineJobs[K]['progress']>) => Promise<EngineJobs[K]['result']>;
};

/** Every job kind the engine can run. The lab reaches these only through messages. */
export const jobHandlers: JobHandlers = {
  scan: (input, ctx) => scanImageFolder(input.root, ctx),
  doctor: async () => (await import('../backend/doctor')).runDoctor(),
};
