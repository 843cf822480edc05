import type { RunDetail } from '../../shared/api/runs';
import type { SpeedRow } from '../../shared/api/speed';
import type { ActivationsView, ResolutionChart, Sweep, SweepPoint } from '../../shared/api/sweeps';
import type { Workflow } from '../../shared/api/workflows';
import { userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import { getDataset } from '../../store/datasets';
import { type RunService, speedTable } from '../runs';
import { activationsView, resolutionChart, type SweepService } from '../sweeps';
import { outcomesWithMistakes, type OutcomeWithMistakes } from '../outcomes';

/** Everything an export writes, gathered once from the store: the JSON export is exactly this. */
export interface ReportData {
  title: string;
  generatedAt: string;
  app: { name: 'FixRes Lab'; version: string };
  dataset: { id: number; name: string; root: string } | null;
  /** The trained run first, then its fine-tuned children. */
  runs: RunDetail[];
  /** The run whose model an export writes. */
  modelRunId: number;
  chart: ResolutionChart;
  activations: ActivationsView;
  sweeps: Sweep[];
  points: SweepPoint[];
  speed: SpeedRow[];
  workflow: Workflow | null;
  /** Where the models are wrong: every measured point's confusion matrix, per-class accuracy and most confident mistakes. */
  outcomes: OutcomeWithMistakes[];
}

/** Mistakes per point an export lists (most confident first). */
export const REPORT_MISTAKES = 50;

export interface ReportDeps {
  db: Db;
  runs: RunService;
  sweeps: SweepService;
  version: string;
}

/** The report of a run together with its parent (if it is a fine-tune) and fine-tuned siblings. */
export function runReportData(deps: ReportDeps, runId: number): ReportData {
  const run = deps.runs.get(runId);
  const baseId = run.kind === 'finetune' && run.parentId !== null ? run.parentId : run.id;
  return assemble(deps, { baseId, modelRunId: run.id, title: run.name, workflow: null });
}

/** The report of a workflow: its trained run, its fine-tuned run (the final model) and its summary. */
export function workflowReportData(deps: ReportDeps, workflow: Workflow): ReportData {
  const trainRunId = workflow.steps.find((s) => s.step === 'train')?.runId ?? null;
  if (trainRunId === null) throw userError(`Workflow ${workflow.id} has not trained a model yet`, 'id', 'Conflict');
  const finetune = workflow.steps.find((s) => s.step === 'finetune');
  const modelRunId = finetune?.status === 'completed' && finetune.runId !== null ? finetune.runId : trainRunId;
  return assemble(deps, { baseId: trainRunId, modelRunId, title: workflow.name, workflow });
}

function assemble(
  deps: ReportDeps,
  o: { baseId: number; modelRunId: number; title: string; workflow: Workflow | null },
): ReportData {
  const base = deps.runs.get(o.baseId);
  const children = deps.runs.list().filter((r) => r.parentId === base.id && r.kind === 'finetune');
  const runs = [base, ...children.reverse().map((c) => deps.runs.get(c.id))];
  const ids = new Set(runs.map((r) => r.id));
  const dataset = base.datasetId === null ? undefined : getDataset(deps.db, base.datasetId);
  return {
    title: o.title,
    generatedAt: new Date().toISOString(),
    app: { name: 'FixRes Lab', version: deps.version },
    dataset: dataset ? { id: dataset.id, name: dataset.name, root: dataset.root } : null,
    runs,
    modelRunId: o.modelRunId,
    chart: resolutionChart(deps.db, base.id),
    activations: activationsView(deps.db, base.id, { bins: 60 }),
    sweeps: runs.flatMap((r) => deps.sweeps.list(r.id)),
    points: runs.flatMap((r) => deps.sweeps.points(r.id)),
    speed: speedTable(deps.db).filter((row) => ids.has(row.runId)),
    workflow: o.workflow,
    outcomes: outcomesWithMistakes(deps.db, base.id, { mistakes: REPORT_MISTAKES }),
  };
}
