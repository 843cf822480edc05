import { describe, expect, it } from 'vitest';
import { etaSeconds, MetricsTally } from '../../src/core/metrics';

describe('MetricsTally', () => {
  it('gives top-5 only with more than 5 classes (with fewer, every label is in the top 5)', () => {
    const six = new MetricsTally(6);
    six.add({ labels: [0, 5, 3], predictions: [0, 1, 3], top5Correct: 2, lossSum: 1 });
    expect(six.summary().top5).toBeCloseTo(2 / 3, 12);
    const five = new MetricsTally(5);
    five.add({ labels: [0, 4], predictions: [0, 1], top5Correct: 2, lossSum: 1 });
    expect(five.summary().top5).toBeNull();
  });

  it('accumulates top-1, loss, per-class accuracy and the confusion matrix over batches', () => {
    const tally = new MetricsTally(3);
    tally.add({ labels: [0, 1, 2], predictions: [0, 2, 2], top5Correct: 3, lossSum: 1.5 });
    tally.add({ labels: [1, 1], predictions: [1, 0], top5Correct: 1, lossSum: 2.5 });
    const m = tally.summary();
    expect(m.n).toBe(5);
    expect(m.top1).toBeCloseTo(3 / 5, 12);
    expect(m.top5).toBeNull(); // 3 classes
    expect(m.loss).toBeCloseTo(0.8, 12);
    expect(m.confusion).toEqual([
      [1, 0, 0],
      [1, 1, 1],
      [0, 0, 1],
    ]);
    expect(m.perClassAccuracy).toEqual([1, 1 / 3, 1]);
  });

  it('reports a class without samples as null, and an empty tally as NaN', () => {
    const tally = new MetricsTally(2);
    expect(tally.summary().top1).toBeNaN();
    tally.add({ labels: [0], predictions: [1], top5Correct: 1, lossSum: 0.7 });
    expect(tally.summary().perClassAccuracy).toEqual([0, null]);
  });
});

describe('etaSeconds', () => {
  it('divides the remaining images by the rate, and is null without a rate', () => {
    expect(etaSeconds(300, 100)).toBe(3);
    expect(etaSeconds(300, 0)).toBeNull();
  });
});
