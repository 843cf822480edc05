import { describe, expect, it } from 'vitest';
import { gainInterval } from '../../../src/shared/gain-interval';
import { workflowSummaryDocument } from '../../../src/store/documents';

const counts = (onlyFirst: number, onlySecond: number) => ({
  gain: (onlySecond - onlyFirst) / 200,
  n: 200,
  onlyFirst,
  onlySecond,
  pValue: 0.5,
  withinNoise: true,
  images: 'held-out',
});

/** A summary as version 2 stored it: paired gains with their counts and p-value, no interval. */
const v2 = {
  $v: 2,
  kTrain: 16,
  kTestStar: 20,
  trainRunId: 1,
  finetuneRunId: 3,
  atKTrain: { kTest: 16, top1: 0.5 },
  bestTested: { kTest: 20, top1: 0.52 },
  frechet: null,
  finetuned: { kTest: 24, top1: 0.55 },
  finetunedBest: null,
  best: { kTest: 24, top1: 0.55, series: 'finetuned' },
  gain: 0.05,
  gains: { testLarger: counts(3, 7), frechet: null, finetune: counts(2, 12), total: counts(4, 14) },
  payoff: {
    kSmall: 16,
    kLarge: 28,
    rows: [],
    smallFinetunedVsLarge: counts(9, 6),
    smallTestedVsLarge: null,
  },
  phases: [],
  totalSeconds: 60,
};

describe('stored workflow summaries', () => {
  it('reads a version 2 summary with each paired gain’s 95 % interval, from its counts', () => {
    const read = workflowSummaryDocument.read(JSON.stringify(v2), 'workflow #1');
    expect(read.gains!.testLarger!.ci95).toEqual(gainInterval({ onlyFirst: 3, onlySecond: 7, n: 200 }));
    expect(read.gains!.finetune!.ci95).toEqual(gainInterval({ onlyFirst: 2, onlySecond: 12, n: 200 }));
    expect(read.gains!.total!.ci95).toEqual(gainInterval({ onlyFirst: 4, onlySecond: 14, n: 200 }));
    expect(read.gains!.frechet).toBeNull();
    expect(read.payoff!.smallFinetunedVsLarge!.ci95).toEqual(gainInterval({ onlyFirst: 9, onlySecond: 6, n: 200 }));
    expect(read.payoff!.smallTestedVsLarge).toBeNull();
    // …and stores it as version 3, interval included.
    expect(JSON.parse(workflowSummaryDocument.write(read))).toMatchObject({
      $v: 3,
      gains: { total: { ci95: [expect.any(Number), expect.any(Number)] } },
    });
  });
});
