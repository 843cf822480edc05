import type { DataSpec } from '../src/shared/jobs/data-spec';
import type { TrainInput } from '../src/shared/jobs/train';

/** The benchmarks' training run: resnet-mini from scratch, SGD with momentum, cosine schedule, no resume. */
export function benchTrainInput(o: {
  train: DataSpec;
  val: DataSpec | null;
  epochs: number;
  checkpointDir: string;
  batchSize?: number;
}): TrainInput {
  return {
    model: { arch: 'resnet-mini', width: 1 },
    init: { kind: 'scratch' },
    trainable: 'full',
    train: o.train,
    val: o.val,
    batchSize: o.batchSize ?? 32,
    evalBatchSize: 64,
    epochs: o.epochs,
    seed: 1,
    optimizer: { lr: 0.05, momentum: 0.9, nesterov: false, weightDecay: 5e-4, labelSmoothing: 0 },
    schedule: { kind: 'cosine', warmupEpochs: 1 },
    checkpointDir: o.checkpointDir,
    resume: false,
  };
}
