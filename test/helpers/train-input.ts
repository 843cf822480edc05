import type { DataSpec } from '../../src/shared/jobs/data-spec';
import type { TrainInput } from '../../src/shared/jobs/train';
import type { BatchSource } from '../../src/engine/data/batch';
import { syntheticSource } from './synthetic-source';

const CLASSES = ['horizontal', 'vertical', 'diagonal', 'blob'];

/** A DataSpec standing for a synthetic set: openSynthetic turns it into patterns (items carry only the count). */
export function syntheticSpec(numItems: number, k: number, seed: number): DataSpec {
  return {
    root: '/synthetic',
    classNames: CLASSES,
    items: Array.from({ length: numItems }, (_, i) => ({ relPath: `${i}.png`, label: i % CLASSES.length })),
    transform: { kind: 'test', k, cropPct: 1, interpolation: 'bilinear' },
    normalize: { mean: [0, 0, 0], std: [1, 1, 1] },
    seed,
  };
}

/** ctx.openSource for syntheticSpec DataSpecs. */
export async function openSynthetic(spec: DataSpec): Promise<BatchSource> {
  return syntheticSource({
    numItems: spec.items.length,
    k: spec.transform.k,
    seed: spec.seed,
    numClasses: spec.classNames.length,
  });
}

/** A train job small enough for a unit test on the cpu backend. */
export function tinyTrainInput(checkpointDir: string, overrides: Partial<TrainInput> = {}): TrainInput {
  return {
    model: { arch: 'resnet-mini', width: 0.25 },
    init: { kind: 'scratch' },
    trainable: 'full',
    train: syntheticSpec(32, 8, 1),
    val: syntheticSpec(16, 8, 2),
    batchSize: 8,
    evalBatchSize: 16,
    epochs: 3,
    seed: 5,
    optimizer: { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4, labelSmoothing: 0.1 },
    schedule: { kind: 'cosine', warmupEpochs: 0.5 },
    checkpointDir,
    resume: false,
    ...overrides,
  };
}
