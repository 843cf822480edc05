import { z } from 'zod';
import { RunId } from '../../shared/api/runs';
import { WorkflowStepName } from '../../shared/api/workflows';

const Score = z.object({ kTest: z.number().int(), top1: z.number() });

/** The workflow summary as schema 5 stored it (no image sets, intervals or paired tests); frozen, never edited. */
export const WorkflowSummaryV1 = z.object({
  kTrain: z.number().int(),
  kTestStar: z.number().int().nullable(),
  trainRunId: RunId,
  finetuneRunId: RunId.nullable(),
  atKTrain: Score.nullable(),
  bestTested: Score.nullable(),
  frechet: Score.nullable(),
  finetuned: Score.nullable(),
  finetunedBest: Score.nullable(),
  best: Score.extend({ series: z.enum(['baseline', 'frechet', 'finetuned']) }).nullable(),
  gain: z.number().nullable(),
  phases: z.array(
    z.object({
      step: WorkflowStepName,
      seconds: z.number(),
      peakRssMb: z.number().nullable(),
      imgPerSec: z.number().nullable(),
    }),
  ),
  totalSeconds: z.number(),
});
