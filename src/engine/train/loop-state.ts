/** Where training stands: what a checkpoint stores besides weights and optimiser state. */
export interface LoopState {
  /** The epoch in progress or next to start (0-based). */
  epoch: number;
  /** The next batch of `epoch` to run. */
  batch: number;
  /** Totals of the part of `epoch` already run, so a mid-epoch resume reports the same means. */
  partial: EpochTotals;
}

export interface EpochTotals {
  lossSum: number;
  correct: number;
  seen: number;
  seconds: number;
}

export const emptyTotals = (): EpochTotals => ({ lossSum: 0, correct: 0, seen: 0, seconds: 0 });
