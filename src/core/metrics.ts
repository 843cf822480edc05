import type { ClassificationMetrics } from '../shared/jobs/eval';

export type { ClassificationMetrics };

export interface BatchOutcome {
  labels: ArrayLike<number>;
  /** Position of each sample in the evaluated item list (records per-image correctness when the tally has one). */
  indices?: ArrayLike<number>;
  /** Arg-max class per sample. */
  predictions: ArrayLike<number>;
  /** Samples whose label is among the top 5 logits. */
  top5Correct: number;
  /** Sum (not mean) of the per-sample losses. */
  lossSum: number;
}

/**
 * Running totals for top-1, top-5, loss and the confusion matrix; with `numItems`, also which
 * items (by index) were right, for paired comparisons of two settings on the same images.
 */
export class MetricsTally {
  #n = 0;
  #lossSum = 0;
  #top1 = 0;
  #top5 = 0;
  #confusion: number[][];
  #correct: Uint8Array | null;

  constructor(numClasses: number, numItems?: number) {
    this.#confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
    this.#correct = numItems === undefined ? null : new Uint8Array(numItems);
  }

  add(batch: BatchOutcome): void {
    if (this.#correct && !batch.indices) throw new Error('This tally records per-image correctness: give each batch its indices');
    for (let i = 0; i < batch.labels.length; i++) {
      const truth = batch.labels[i]!;
      const predicted = batch.predictions[i]!;
      this.#confusion[truth]![predicted]!++;
      if (truth === predicted) {
        this.#top1++;
        if (this.#correct) this.#correct[batch.indices![i]!] = 1;
      }
    }
    this.#n += batch.labels.length;
    this.#top5 += batch.top5Correct;
    this.#lossSum += batch.lossSum;
  }

  summary(): ClassificationMetrics {
    const n = this.#n;
    return {
      n,
      loss: n ? this.#lossSum / n : NaN,
      top1: n ? this.#top1 / n : NaN,
      top5: n ? this.#top5 / n : NaN,
      perClassAccuracy: this.#confusion.map((row, c) => {
        const total = row.reduce((a, b) => a + b, 0);
        return total ? row[c]! / total : null;
      }),
      confusion: this.#confusion.map((row) => [...row]),
      ...(this.#correct ? { correct: this.#correct.slice() } : {}),
    };
  }
}

/** Seconds left at `imagesPerSecond` for `imagesLeft` images; null until a rate is known. */
export function etaSeconds(imagesLeft: number, imagesPerSecond: number): number | null {
  return imagesPerSecond > 0 && Number.isFinite(imagesPerSecond) ? imagesLeft / imagesPerSecond : null;
}
