/**
 * When a workflow's time budget is too small to learn anything: even the smallest useful K_train
 * at the fewest epochs the workflow picks (MIN_TRAIN_EPOCHS) is estimated over it. The lab refuses
 * to start such a workflow, and the form says so before Start, with the budget that would fit.
 */

/** What the refusal reads from a plan (a KTrainSuggestion). */
export interface PlanFit {
  fits: boolean;
  epochs: number;
  /** Estimated seconds per candidate K_train, smallest first. */
  estimates: readonly { k: number; seconds: number }[];
}

/** What the user set themselves: an explicit K_train or epochs runs whatever the budget. */
export interface UserChoices {
  kTrain?: number | null | undefined;
  epochs?: number | null | undefined;
}

/** Whole minutes that hold the smallest plan (at least one). */
export function minutesNeeded(plan: PlanFit): number {
  const smallest = plan.estimates[0];
  return smallest ? Math.max(1, Math.ceil(smallest.seconds / 60)) : 1;
}

/** The reason the workflow cannot start with this budget, or null when it can. */
export function budgetRefusal(plan: PlanFit, given: UserChoices = {}): string | null {
  if (plan.fits || given.kTrain || given.epochs) return null;
  const smallest = plan.estimates[0];
  if (!smallest) return null;
  return (
    `The time budget is too small to learn anything: the smallest plan needs at least ${minutesNeeded(plan)} minutes ` +
    `at K_train ${smallest.k} (${plan.epochs} epochs). Raise the budget, or give the epochs or K_train yourself ` +
    `(--epochs / --k-train).`
  );
}
