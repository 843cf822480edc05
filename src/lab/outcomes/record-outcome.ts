import type { OutcomeKey } from '../../shared/api/outcomes';
import type { DataItem } from '../../shared/jobs/data-spec';
import type { PassOutcome } from '../../shared/jobs/eval';
import type { Db } from '../../store/db';
import { saveOutcome, type MistakeRecord, type OutcomeSource } from '../../store/outcomes';
import type { LabEvents } from '../events';

/** One evaluation pass to keep: which point it measured, the evaluated images (in order) and what the model said. */
export interface PassToRecord extends OutcomeKey {
  source: OutcomeSource;
  classNames: string[];
  items: readonly DataItem[];
  outcome: PassOutcome;
}

/** The misclassified images of a pass: every evaluated item whose top-1 prediction is not its label. */
export function mistakesOf(items: readonly DataItem[], outcome: PassOutcome): MistakeRecord[] {
  const { predicted, confidence } = outcome.items;
  if (predicted.length !== items.length)
    throw new Error(`The pass has ${predicted.length} predictions for ${items.length} images; they must match one to one`);
  const out: MistakeRecord[] = [];
  items.forEach((item, i) => {
    const p = predicted[i]!;
    if (p >= 0 && p !== item.label)
      out.push({
        relPath: item.relPath,
        trueClass: item.label,
        predictedClass: p,
        confidence: Math.min(1, Math.max(0, confidence[i]!)),
      });
  });
  return out;
}

/** Stores a pass's confusion matrix and mistakes and tells the clients (`outcome.saved`). */
export function recordOutcome(db: Db, events: LabEvents, pass: PassToRecord): void {
  const key = { runId: pass.runId, kTest: pass.kTest, adapter: pass.adapter };
  saveOutcome(db, {
    ...key,
    source: pass.source,
    matrix: { classNames: pass.classNames, confusion: pass.outcome.confusion },
    mistakes: mistakesOf(pass.items, pass.outcome),
  });
  events.emit('outcome.saved', key);
}
