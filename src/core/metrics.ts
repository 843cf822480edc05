import type { ClassificationMetrics, ItemOutcomes } from '../shared/jobs/eval';

export type { ClassificationMetrics };

export interface BatchOutcome {
  labels: ArrayLike<number>;
  /** Position of each sample in the evaluated item list (needed when the tally keeps items and per-image correctness). */
  indices?: ArrayLike<number>;
  /** Softmax probability of each sample's predicted class (kept with the items). */
  confidences?: ArrayLike<number>;
  /** Arg-max class per sample. */
  predictions: ArrayLike<number>;
  /** Samples whose label is among the top 5 logits. */
  top5Correct: number;
  /** Sum (not mean) of the per-sample losses. */
  lossSum: number;
}

/** Top-5 means something only with more than 5 classes (with 5 or fewer, every label is in the top 5). */
export const hasMeaningfulTop5 = (numClasses: number): boolean => numClasses > 5;

/**
 * Running totals for top-1, top-5, loss and the confusion matrix; with `numItems`, also every
 * item's prediction and its confidence (by index), for the gallery of mistakes, and which items
 * were right, for paired comparisons of two settings on the same images.
 */
export class MetricsTally {
  #n = 0;
  #lossSum = 0;
  #top1 = 0;
  #top5 = 0;
  #confusion: number[][];
  #items: ItemOutcomes | null;
  #correct: Uint8Array | null;

  constructor(numClasses: number, numItems?: number) {
    this.#confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
    this.#items =
      numItems === undefined ? null : { predicted: new Int32Array(numItems).fill(-1), confidence: new Float32Array(numItems) };
    this.#correct = numItems === undefined ? null : new Uint8Array(numItems);
  }

  add(batch: BatchOutcome): void {
    if (this.#items && (!batch.indices || !batch.confidences))
      throw new Error('This tally keeps every item: give each batch its indices and confidences');
    for (let i = 0; i < batch.labels.length; i++) {
      const truth = batch.labels[i]!;
      const predicted = batch.predictions[i]!;
      this.#confusion[truth]![predicted]!++;
      if (truth === predicted) this.#top1++;
      if (this.#items) {
        if (truth === predicted) this.#correct![batch.indices![i]!] = 1;
        this.#items.predicted[batch.indices![i]!] = predicted;
        this.#items.confidence[batch.indices![i]!] = batch.confidences![i]!;
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
      top5: !hasMeaningfulTop5(this.#confusion.length) ? null : n ? this.#top5 / n : NaN,
      perClassAccuracy: this.#confusion.map((row, c) => {
        const total = row.reduce((a, b) => a + b, 0);
        return total ? row[c]! / total : null;
      }),
      confusion: this.#confusion.map((row) => [...row]),
      ...(this.#correct ? { correct: this.#correct.slice() } : {}),
      ...(this.#items ? { items: { predicted: this.#items.predicted.slice(), confidence: this.#items.confidence.slice() } } : {}),
    };
  }
}

/** Seconds left at `imagesPerSecond` for `imagesLeft` images; null until a rate is known. */
export function etaSeconds(imagesLeft: number, imagesPerSecond: number): number | null {
  return imagesPerSecond > 0 && Number.isFinite(imagesPerSecond) ? imagesLeft / imagesPerSecond : null;
}
