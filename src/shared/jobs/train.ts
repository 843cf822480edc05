import { z } from 'zod';
import { Arch } from '../models/registry';
import { TrainableMode } from '../models/trainable';
import { DataSpec } from './data-spec';
import { HeadChange } from './models';
import type { PassOutcome } from './eval';
import { BackendName } from '../backends';
import type { ForwardReport } from './eval';

export const ModelSpec = z
  .object({
    arch: Arch,
    width: z.number().finite().positive(),
    /** resnet-mini only: basic blocks per stage. */
    blocks: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]).optional(),
  })
  .strict();
export type ModelSpec = z.infer<typeof ModelSpec>;

/**
 * Where the weights start: fresh (seeded), a user's tfjs LayersModel folder, or a checkpoint (a
 * run's, when fine-tuning; an imported model's, whose classifier may change on the way: see HeadChange).
 */
export const ModelInit = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('scratch') }).strict(),
  z.object({ kind: z.literal('pretrained'), dir: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('checkpoint'), dir: z.string().min(1), head: HeadChange.optional() }).strict(),
]);
export type ModelInit = z.infer<typeof ModelInit>;

export const OptimizerSpec = z
  .object({
    lr: z.number().finite().min(0),
    momentum: z.number().finite().min(0),
    nesterov: z.boolean(),
    weightDecay: z.number().finite().min(0),
    labelSmoothing: z.number().finite().min(0).max(1),
    /**
     * Decay every trained parameter (biases and BN γ/β too), as torch.optim.SGD(weight_decay=…)
     * does and the official FixRes fine-tune relies on; absent/false: conv and dense kernels only.
     */
    decayAllParams: z.boolean().optional(),
  })
  .strict();
export type OptimizerSpec = z.infer<typeof OptimizerSpec>;

/** The LR schedule over the run (src/core/schedules.ts); its base rate is OptimizerSpec.lr. */
export const ScheduleSpec = z
  .object({
    kind: z.enum(['constant', 'step', 'cosine', 'linear']),
    warmupEpochs: z.number().finite().min(0),
    warmupStartFactor: z.number().finite().optional(),
    /** step: epochs at which the rate is multiplied by gamma. */
    milestones: z.array(z.number().finite()).optional(),
    gamma: z.number().finite().optional(),
    /** cosine/linear: the final rate. */
    minLr: z.number().finite().optional(),
  })
  .strict();
export type ScheduleSpec = z.infer<typeof ScheduleSpec>;

export const TrainInput = z
  .object({
    model: ModelSpec,
    init: ModelInit,
    trainable: TrainableMode,
    train: DataSpec,
    /** Evaluated after every epoch; null for none. */
    val: DataSpec.nullable(),
    batchSize: z.number().int().positive(),
    evalBatchSize: z.number().int().positive(),
    epochs: z.number().int().positive(),
    /** Seeds the weight initialisation; data order and augmentation come from the DataSpecs' seeds. */
    seed: z.number().int(),
    optimizer: OptimizerSpec,
    schedule: ScheduleSpec,
    /** Folder of this run's checkpoints (created if missing). */
    checkpointDir: z.string().min(1),
    /** Continue from the latest checkpoint in checkpointDir instead of starting over. */
    resume: z.boolean(),
    /** Require this backend rung (the engine switches to it for the job, or fails saying why it cannot load). */
    backend: BackendName.optional(),
  })
  .strict();
export type TrainInput = z.infer<typeof TrainInput>;

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
  /** When the job ran the last epoch: its validation's confusion matrix and every image's prediction. */
  finalVal: PassOutcome | null;
}

export interface TrainJob {
  input: TrainInput;
  progress: TrainProgress;
  result: TrainResult;
}
