import { describe, expect, it } from 'vitest';
import { toWorkflow } from '../../../src/lab/workflows/workflow-view';
import { WORKFLOW_STEPS } from '../../../src/shared/api/workflows';
import type { WorkflowRow, WorkflowStepRow } from '../../../src/store/workflows';

const row: WorkflowRow = {
  id: 1,
  name: 'w',
  dataset_id: 1,
  status: 'running',
  config: '{}',
  summary: null,
  error: null,
  created_at: '',
  finished_at: null,
};

function stepRow(step: string, output: unknown): WorkflowStepRow {
  return {
    workflow_id: 1,
    position: WORKFLOW_STEPS.indexOf(step as never),
    step,
    status: 'completed',
    run_id: null,
    sweep_id: null,
    output: output === undefined ? null : JSON.stringify(output),
    started_at: null,
    finished_at: null,
    wall_seconds: 1,
    img_per_sec: null,
    peak_rss_mb: null,
    error: null,
  };
}

const sweepOutput = { sweepId: 3, runId: 2, kTests: [8, 12], best: { kTest: 12, top1: 0.5 }, atKTrain: null };
// As stored before the analyze step recorded K_test* unrounded and its multiple.
const olderAnalyze = {
  kTrain: 8,
  closedFormAlpha: 0.8,
  monteCarloAlpha: 0.76,
  meanTrainOverTest: 1.3,
  fallbackRate: 0,
  kTestStar: 12,
  images: 40,
};

describe('toWorkflow', () => {
  it('reads each step’s output through its own schema, older stored forms included', () => {
    const w = toWorkflow(row, [
      stepRow('plan', { kTrain: 8, source: 'given', suggestion: null }),
      stepRow('analyze', olderAnalyze),
      stepRow('sweep', sweepOutput),
      stepRow('adapt', { skipped: true }),
    ]);
    expect(w.steps.map((s) => [s.step, s.output])).toEqual([
      ['plan', { kTrain: 8, source: 'given', suggestion: null }],
      ['analyze', olderAnalyze],
      ['sweep', sweepOutput],
      ['adapt', { skipped: true }],
    ]);
  });

  it('shows no output for one its step cannot read (another step’s shape), keeping the step', () => {
    const w = toWorkflow(row, [stepRow('sweep', { kTrain: 8, source: 'given', suggestion: null }), stepRow('train', undefined)]);
    expect(w.steps.map((s) => [s.step, s.status, s.output])).toEqual([
      ['sweep', 'completed', null],
      ['train', 'completed', null],
    ]);
  });
});
