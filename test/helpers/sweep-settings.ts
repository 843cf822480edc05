import type { SweepSettings } from '../../src/shared/api/sweeps';

/** A stored sweep's settings with the request defaults, for tests that build sweeps by hand. */
export function sweepSettings(overrides: Partial<SweepSettings> = {}): SweepSettings {
  return {
    kTests: [],
    kTrain: 16,
    kTestStar: 20,
    cropPct: 0.875,
    reference: 'train-augment',
    referenceImages: 2000,
    reservoir: 20_000,
    xi: 0.3,
    freeXi: false,
    batchSize: 32,
    ...overrides,
  };
}
