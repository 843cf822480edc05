import { workCostOf } from '../jobs';
import { WorkflowStep, type Workflow } from '../../shared/api/workflows';
import type { WorkflowRow, WorkflowStepRow } from '../../store/workflows';

/** A stored workflow and its steps as the contract shows them. */
export function toWorkflow(row: WorkflowRow, steps: WorkflowStepRow[]): Workflow {
  const shown = steps.map((s) => toStep(s, row.status));
  return {
    id: row.id,
    name: row.name,
    datasetId: row.dataset_id,
    status: row.status,
    config: row.config,
    steps: shown,
    currentStep: shown.find((s) => s.status !== 'completed')?.step ?? null,
    summary: row.summary,
    error: row.error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/**
 * A stopped workflow has no running step. One can be stored as running when a full or read-only
 * database refused the step's end as well as the workflow's: it then shows the workflow's end.
 * The store read the output through its step's schema; the contract's union types it by step.
 */
function toStep(s: WorkflowStepRow, workflowStatus: WorkflowRow['status']): WorkflowStep {
  const stopped = workflowStatus === 'failed' || workflowStatus === 'cancelled' || workflowStatus === 'interrupted';
  return WorkflowStep.parse({
    step: s.step,
    position: s.position,
    status: stopped && s.status === 'running' ? workflowStatus : s.status,
    runId: s.run_id,
    sweepId: s.sweep_id,
    output: s.output,
    ...workCostOf(s),
  });
}
