import type { EngineJobs, JobKind } from '../../shared/engine-protocol';
import { runCropsJob } from '../data/crops-job';
import { runInspectJob } from '../data/inspect-job';
import { runImportJob } from '../data/samples/import-job';
import { runSynthJob } from '../data/samples/synth-job';
import { runScanJob } from '../data/scan-job';
import { runThumbnailJob } from '../data/thumbnail-job';

export interface JobContext<P> {
  signal: AbortSignal;
  progress(p: P): void;
}

/** One handler per job kind, taking its (already validated) input. */
export type JobHandlers = {
  [K in JobKind]: (input: EngineJobs[K]['input'], ctx: JobContext<EngineJobs[K]['progress']>) => Promise<EngineJobs[K]['result']>;
};

/** Every job kind the engine can run. The lab reaches these only through messages. */
export const jobHandlers: JobHandlers = {
  scan: (input, ctx) => runScanJob(input, ctx),
  inspect: (input, ctx) => runInspectJob(input, ctx),
  thumbnail: (input) => runThumbnailJob(input),
  crops: (input) => runCropsJob(input),
  synth: (input, ctx) => runSynthJob(input, ctx),
  import: (input, ctx) => runImportJob(input, ctx),
  train: async (input, ctx) => {
    const [{ runTraining }, { openBatchSource }] = await Promise.all([
      import('../train/run-training'),
      import('../data/open-batch-source'),
    ]);
    return runTraining(input, { ...ctx, openSource: openBatchSource });
  },
  evaluate: async (input, ctx) => {
    const [{ runEvaluation }, { openBatchSource }] = await Promise.all([
      import('../eval/run-evaluation'),
      import('../data/open-batch-source'),
    ]);
    return runEvaluation(input, { ...ctx, openSource: openBatchSource });
  },
  doctor: async () => (await import('../backend/doctor')).runDoctor(),
  sweep: async (input, ctx) => {
    const [{ runSweep }, { openBatchSource }] = await Promise.all([
      import('../fixres/sweep-job'),
      import('../data/open-batch-source'),
    ]);
    return runSweep(input, { ...ctx, openSource: openBatchSource });
  },
  'speed-probe': async (input, ctx) => {
    const [{ runSpeedProbe }, { openBatchSource }] = await Promise.all([
      import('../fixres/speed-probe'),
      import('../data/open-batch-source'),
    ]);
    return runSpeedProbe(input, { ...ctx, openSource: openBatchSource });
  },
  'export-model': async (input) => (await import('../fixres/export-model')).runExportModel(input),
  'import-weights': async (input) => (await import('../model-jobs/import-weights-job')).runImportWeights(input),
  'adopt-model': async (input) => (await import('../model-jobs/adopt-model-job')).runAdoptModel(input),
  predict: async (input, ctx) => (await import('../model-jobs/predict-job')).runPredict(input, ctx),
  'export-weights': async (input) => (await import('../model-jobs/export-weights-job')).runExportWeights(input),
};
