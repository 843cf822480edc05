import { describe, expect, it } from 'vitest';
import { toWorkflow } from '../../../src/lab/workflows/workflow-view';
import { WORKFLOW_STEPS, WorkflowRequest, type WorkflowStepName } from '../../../src/shared/api/workflows';
import type { WorkflowRow, WorkflowStepRow } from '../../../src/store/workflows';

const row: WorkflowRow = {
  id: 1,
  name: 'w',
  dataset_id: 1,
  status: 'running',
  config: WorkflowRequest.parse({ datasetId: 1 }),
  summary: null,
  error: null,
  created_at: '',
  finished_at: null,
};

function stepRow(step: WorkflowStepName, output: unknown): WorkflowStepRow {
  return {
    workflow_id: 1,
    position: WORKFLOW_STEPS.indexOf(step),
    step,
    status: 'completed',
    run_id: null,
    sweep_id: null,
    output: output as WorkflowStepRow['output'],
    started_at: null,
    finished_at: null,
    wall_seconds: 1,
    img_per_sec: null,
    peak_rss_mb: null,
    error: null,
  };
}

const plan = { kTrain: 8, source: 'given', suggestion: null };
const sweep = { sweepId: 3, runId: 2, kTests: [8, 12], best: { kTest: 12, top1: 0.5 }, atKTrain: null };

describe('toWorkflow', () => {
  it('shows each step with the output its own step stored', () => {
    const w = toWorkflow(row, [
      stepRow('plan', plan),
      stepRow('sweep', sweep),
      stepRow('adapt', { skipped: true }),
      stepRow('train', null),
    ]);
    expect(w.steps.map((s) => [s.step, s.output])).toEqual([
      ['plan', plan],
      ['sweep', sweep],
      ['adapt', { skipped: true }],
      ['train', null],
    ]);
  });

  it('refuses a step whose output has another step’s shape: outputs are typed by their step', () => {
    expect(() => toWorkflow(row, [stepRow('sweep', plan)])).toThrow();
    expect(() => toWorkflow(row, [stepRow('plan', { ...plan, extra: 1 })])).toThrow();
  });
});
