import type { Db } from '../../store/db';
import { getRun, listRuns, type RunRow } from '../../store/runs';
import { missingRow } from '../missing-row';

/** What a measured series of a run family is: the base run as is, with the Fréchet adaptation, or a fine-tuned child. */
export type SeriesKind = 'baseline' | 'frechet' | 'finetuned';

/**
 * A trained run and its fine-tuned children, oldest child first: what the Resolution view and the
 * outcome pickers show together. Asked for a fine-tuned run, the family is its parent's.
 */
export function runFamily(db: Db, runId: number): { base: RunRow; children: RunRow[] } {
  let base = getRun(db, runId);
  if (!base) throw missingRow(db, 'run', runId, 'runId');
  if (base.kind === 'finetune' && base.parent_id !== null) base = getRun(db, base.parent_id) ?? base;
  const children = listRuns(db)
    .filter((r) => r.parent_id === base.id && r.kind === 'finetune')
    .reverse();
  return { base, children };
}

/** How a series is named in legends and pickers ("#4 trained at 24", "#7 fine-tuned (bn+classifier, DA1) at 32"). */
export function seriesLabel(run: RunRow, kind: SeriesKind): string {
  const c = run.config;
  if (kind === 'baseline') return `#${run.id} trained at ${c.kTrain}`;
  if (kind === 'frechet') return `#${run.id} + Fréchet adaptation`;
  return `#${run.id} fine-tuned (${c.trainable}, ${c.augment.toUpperCase()}) at ${c.kTrain}`;
}
