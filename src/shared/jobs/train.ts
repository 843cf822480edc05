import type { ArchName } from '../models/registry';
import type { TrainableMode } from '../models/trainable';
import type { DataSpec } from './data-spec';
import type { HeadChange } from './models';
import type { BackendName } from './doctor';
import type { ForwardReport } from './eval';

export interface ModelSpec {
  arch: ArchName;
  width: number;
  /** resnet-mini only: basic blocks per stage. */
  blocks?: [number, number, number];
}

/**
 * Where the weights start: fresh (seeded), a user's tfjs LayersModel folder, or a checkpoint (a
 * run's, when fine-tuning; an imported model's, whose classifier may change on the way: see HeadChange).
 */
export type ModelInit =
  { kind: 'scratch' } | { kind: 'pretrained'; dir: string } | { kind: 'checkpoint'; dir: string; head?: HeadChange };

export interface OptimizerSpec {
  lr: number;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
  labelSmoothing: number;
}

/** The LR schedule over the run (src/core/schedules.ts); its base rate is OptimizerSpec.lr. */
export interface ScheduleSpec {
  kind: 'constant' | 'step' | 'cosine' | 'linear';
  warmupEpochs: number;
  warmupStartFactor?: number;
  /** step: epochs at which the rate is multiplied by gamma. */
  milestones?: number[];
  gamma?: number;
  /** cosine/linear: the final rate. */
  minLr?: number;
}

export interface TrainInput {
  model: ModelSpec;
  init: ModelInit;
  trainable: TrainableMode;
  train: DataSpec;
  /** Evaluated after every epoch; null for none. */
  val: DataSpec | null;
  batchSize: number;
  evalBatchSize: number;
  epochs: number;
  /** Seeds the weight initialisation; data order and augmentation come from the DataSpecs' seeds. */
  seed: number;
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec;
  /** Folder of this run's checkpoints (created if missing). */
  checkpointDir: string;
  /** Continue from the latest checkpoint in checkpointDir instead of starting over. */
  resume: boolean;
  /** Require this backend rung (the engine process picks its backend once). */
  backend?: BackendName;
}

/** Loss and accuracy of one phase of an epoch. */
export interface PhaseMetrics {
  loss: number;
  acc: number;
  top5: number | null;
  imgPerSec: number;
  seconds: number;
}

export interface EpochSummary {
  /** 0-based. */
  epoch: number;
  lr: number;
  train: PhaseMetrics;
  val: PhaseMetrics | null;
}

export type TrainProgress =
  | {
      type: 'start';
      backend: string;
      startEpoch: number;
      startBatch: number;
      batchesPerEpoch: number;
      epochs: number;
      /** Set when a head-only fine-tune runs its frozen trunk on ONNX Runtime. */
      forward?: ForwardReport;
    }
  | {
      type: 'batch';
      epoch: number;
      batch: number;
      batchesPerEpoch: number;
      /** Running means over the epoch so far. */
      loss: number;
      acc: number;
      lr: number;
      imgPerSec: number;
      etaSeconds: number | null;
    }
  | { type: 'epoch'; summary: EpochSummary }
  | { type: 'checkpoint'; epoch: number; batch: number };

export interface TrainResult {
  status: 'completed' | 'cancelled';
  backend: string;
  /** Epochs fully done (train + val) when the job ended. */
  epochsCompleted: number;
  wallSeconds: number;
  /** Training images per second over this job's training time. */
  imgPerSec: number;
  /** Peak resident memory of the engine process during this job (sampled between batches). */
  peakRssMb: number;
  last: EpochSummary | null;
}

export interface TrainJob {
  input: TrainInput;
  progress: TrainProgress;
  result: TrainResult;
}
