import { z } from 'zod';
import { endpoint } from './endpoint';
import { FinetuneRequest } from './finetune';
import { Run, RunId } from './runs';
import {
  ActivationsView,
  ResolutionChart,
  Sweep,
  SweepDetail,
  SweepId,
  SweepPlan,
  SweepPointEvent,
  SweepProgressEvent,
  SweepRequest,
} from './sweeps';

const bySweep = z.object({ id: SweepId }).strict();

/** The FixRes workflow's channels: K_test sweeps, their charts, fine-tuning, speed/accuracy, workflows and export. */
export const fixresApi = {
  'runs.finetune': endpoint(FinetuneRequest, Run),
  'sweeps.plan': endpoint(z.object({ runId: RunId, step: z.number().int().min(1).max(256).optional() }).strict(), SweepPlan),
  'sweeps.start': endpoint(SweepRequest, Sweep),
  'sweeps.cancel': endpoint(bySweep, Sweep),
  'sweeps.resume': endpoint(bySweep, Sweep),
  'sweeps.list': endpoint(z.object({ runId: RunId.optional() }).strict(), z.array(Sweep)),
  'sweeps.get': endpoint(bySweep, SweepDetail),
  'sweeps.resolution': endpoint(z.object({ runId: RunId }).strict(), ResolutionChart),
  'sweeps.activations': endpoint(
    z.object({ runId: RunId, bins: z.number().int().min(5).max(500).default(60) }).strict(),
    ActivationsView,
  ),
};

export const fixresEvents = {
  'sweep.updated': Sweep,
  'sweep.progress': SweepProgressEvent,
  'sweep.point': SweepPointEvent,
};
