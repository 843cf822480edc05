import { z } from 'zod';
import { BackendName } from '../backends';
import { endpoint } from './endpoint';
import { ExportResult, RunExportRequest, WorkflowExportRequest } from './exports';
import { FinetuneRequest, FinetuneStarted } from './finetune';
import { SpeedRequest, SpeedRow } from './speed';
import { KTrainSuggestion, Workflow, WorkflowId, WorkflowProgress, WorkflowRequest } from './workflows';
import { RunId } from './runs';
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
const byWorkflow = z.object({ id: WorkflowId }).strict();
/** Resume a workflow, or retry it on another backend when its own cannot load here. */
const WorkflowResumeRequest = z.object({ id: WorkflowId, backend: BackendName.optional() }).strict();

/** The FixRes workflow's channels: K_test sweeps, their charts, fine-tuning, speed/accuracy, workflows and export. */
export const fixresApi = {
  'runs.finetune': endpoint(FinetuneRequest, FinetuneStarted),
  'runs.speed': endpoint(SpeedRequest, z.array(SpeedRow)),
  'runs.export': endpoint(RunExportRequest, ExportResult),
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
  'workflows.suggest': endpoint(WorkflowRequest, KTrainSuggestion),
  'workflows.start': endpoint(WorkflowRequest, Workflow),
  'workflows.resume': endpoint(WorkflowResumeRequest, Workflow),
  'workflows.cancel': endpoint(byWorkflow, Workflow),
  'workflows.list': endpoint(z.object({}).strict(), z.array(Workflow)),
  'workflows.get': endpoint(byWorkflow, Workflow),
  'workflows.export': endpoint(WorkflowExportRequest, ExportResult),
};

export const fixresEvents = {
  'sweep.updated': Sweep,
  'sweep.progress': SweepProgressEvent,
  'sweep.point': SweepPointEvent,
  'workflow.updated': Workflow,
  'workflow.progress': WorkflowProgress,
};
