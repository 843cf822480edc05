import { workCostOf } from '../jobs';
import {
  WORKFLOW_STEP_OUTPUTS,
  type Workflow,
  type WorkflowConfig,
  WorkflowStep,
  type WorkflowStepName,
  type WorkflowSummary,
} from '../../shared/api/workflows';
import type { WorkflowRow, WorkflowStepRow } from '../../store/workflows';

/** A stored workflow and its steps as the contract shows them. */
export function toWorkflow(row: WorkflowRow, steps: WorkflowStepRow[]): Workflow {
  const shown = steps.map((s) => toStep(s, row.status));
  return {
    id: row.id,
    name: row.name,
    datasetId: row.dataset_id,
    status: row.status,
    config: JSON.parse(row.config) as WorkflowConfig,
    steps: shown,
    currentStep: shown.find((s) => s.status !== 'completed')?.step ?? null,
    summary: row.summary ? (JSON.parse(row.summary) as WorkflowSummary) : null,
    error: row.error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/**
 * A stopped workflow has no running step. One can be stored as running when a full or read-only
 * database refused the step's end as well as the workflow's: it then shows the workflow's end.
 */
function toStep(s: WorkflowStepRow, workflowStatus: WorkflowRow['status']): WorkflowStep {
  const stopped = workflowStatus === 'failed' || workflowStatus === 'cancelled' || workflowStatus === 'interrupted';
  const step = s.step as WorkflowStepName;
  return WorkflowStep.parse({
    step,
    position: s.position,
    status: stopped && s.status === 'running' ? workflowStatus : s.status,
    runId: s.run_id,
    sweepId: s.sweep_id,
    output: stepOutput(step, s.output),
    ...workCostOf(s),
  });
}

/** A stored step output read through its step's schema; one no schema reads shows as none (its run and sweep still link). */
function stepOutput(step: WorkflowStepName, stored: string | null): unknown {
  if (stored === null) return null;
  const parsed = WORKFLOW_STEP_OUTPUTS[step].safeParse(JSON.parse(stored));
  return parsed.success ? parsed.data : null;
}
