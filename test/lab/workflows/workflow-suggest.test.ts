import { describe, expect, it } from 'vitest';
import { smallestUsefulK } from '../../../src/lab/workflows/workflow-suggest';

describe('smallestUsefulK', () => {
  it('keeps the last feature map at least 4×4: 16 px for resnet-mini (stride 4), 128 px for torchvision ResNets (stride 32)', () => {
    expect(smallestUsefulK('resnet-mini')).toBe(16);
    expect(smallestUsefulK('resnet18')).toBe(128);
    expect(smallestUsefulK('resnet50')).toBe(128);
  });
});
