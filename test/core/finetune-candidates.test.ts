import { describe, expect, it } from 'vitest';
import { finetuneCandidates } from '../../src/core/finetune-candidates';

describe('finetuneCandidates', () => {
  it('searches from the untuned best up to 1.4 times it, as the paper’s 288 → 384', () => {
    const grid = [112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 272, 288, 304, 320, 336, 352, 368, 384, 400, 416, 432, 448];
    expect(finetuneCandidates(grid, 288)).toEqual([288, 352, 400]);
    expect(finetuneCandidates(grid, 288, { count: 2 })).toEqual([288, 400]);
  });

  it('keeps every grid size when there are few, and the best even when it is off the grid', () => {
    expect(finetuneCandidates([12, 16, 20, 24, 28, 32, 36, 40, 44, 48], 28)).toEqual([28, 32, 36]);
    expect(finetuneCandidates([12, 16, 20, 24, 28, 32, 36, 40, 44, 48], 28, { count: 4 })).toEqual([28, 32, 36]);
    expect(finetuneCandidates([16, 24, 32], 26)).toEqual([26, 32]);
    expect(finetuneCandidates([16, 24, 32], 32)).toEqual([32]);
    expect(finetuneCandidates([16, 24], 24, { count: 1 })).toEqual([24]);
    expect(() => finetuneCandidates([16], 16, { count: 0 })).toThrow(/count/);
  });
});
