import { finetuneCandidates } from '../../core/finetune-candidates';
import type { Run } from '../../shared/api/runs';
import type { StepOutputOf } from '../../store/documents';
import { startFinetune } from '../runs';
import { bestOn, protocolFor } from '../sweeps';
import {
  measuredSeries,
  outputOf,
  runToEnd,
  sweepToEnd,
  type RunOutput,
  type StepContext,
  type StepOutcome,
  type SweepOutput,
  type WorkflowDeps,
} from './workflow-step-kit';

/** One fine-tune the workflow made: its K_test, its run and the sweep that measured it there. */
export interface FinetuneCandidate {
  kTest: number;
  runId: number;
  sweepId: number;
}

/** The finetune step's output: every candidate tried and the one picked (on the selection half). */
export type FinetuneOutput = StepOutputOf<'finetune'>;

/**
 * Fine-tunes the trained run at several K_test — from the untuned best (picked on the selection
 * half) up to 1.4× it — measures each child at its own K_test, and keeps the one with the best
 * top-1 on the selection half. The fine-tuned optimum lies above the untuned one (DESIGN §1),
 * which is why the search goes up, and the head-only recipe keeps each try cheap.
 */
export async function finetuneSearch(deps: WorkflowDeps, ctx: StepContext): Promise<StepOutcome> {
  const parent = outputOf<RunOutput>(ctx, 'train');
  const sweep = outputOf<SweepOutput>(ctx, 'sweep');
  const untunedBest = sweep.best?.kTest ?? parent.kTrain;
  const sizes = finetuneCandidates(sweep.kTests, untunedBest, { count: ctx.config.finetune.candidates });
  const candidates: FinetuneCandidate[] = [];
  let peakRssMb: number | null = null;
  for (const kTest of sizes) {
    const run = await finetuneAt(deps, ctx, parent.runId, kTest);
    const measured = await sweepToEnd(deps, ctx, { runId: run.id, adapter: 'none', kTests: [kTest] });
    candidates.push({ kTest, runId: run.id, sweepId: measured.id });
    peakRssMb = Math.max(peakRssMb ?? 0, run.peakRssMb ?? 0) || null;
  }
  const scored = candidates.map((c) => ({
    c,
    m: measuredSeries(deps.db, c.runId, 'none').find((m) => m.point.kTest === c.kTest)!,
  }));
  const { pickOn } = protocolFor(scored.map((s) => s.m));
  const picked = bestOn(
    scored.map((s) => ({ ...s.m, c: s.c })),
    pickOn,
  )!.c;
  const run = deps.runs.get(picked.runId);
  // The step's row names the picked model (exports and the UI follow it), not the last one tried.
  ctx.attach({ runId: run.id, sweepId: picked.sweepId });
  const output: FinetuneOutput = { runId: run.id, kTrain: run.config.kTrain, lastAcc: run.lastAcc, candidates };
  return { output, peakRssMb, imgPerSec: run.imgPerSec };
}

/** The name a workflow gives its fine-tune at `kTest`: how an interrupted search finds what it already made. */
export function finetuneName(workflowName: string, kTest: number): string {
  return `${workflowName}: fine-tune at ${kTest}`;
}

/** Fine-tunes `parentRunId` at `kTest` with the workflow's recipe, continuing a fine-tune an earlier attempt started. */
export function finetuneAt(deps: WorkflowDeps, ctx: StepContext, parentRunId: number, kTest: number): Promise<Run> {
  const name = finetuneName(ctx.name, kTest);
  const existing = deps.runs.list().find((r) => r.parentId === parentRunId && r.kind === 'finetune' && r.name === name) ?? null;
  const f = ctx.config.finetune;
  return runToEnd(
    deps,
    ctx,
    () =>
      startFinetune(deps.runs, {
        parentRunId,
        kTest,
        mode: f.mode,
        augment: f.augment,
        ...(f.epochs ? { epochs: f.epochs } : {}),
        ...(f.lr ? { lr: f.lr } : {}),
        name,
      }),
    existing,
  );
}
