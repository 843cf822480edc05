import type { FrozenRunConfig, RunConfig } from '../../shared/api/runs';
import type { DataSpec } from '../../shared/jobs/data-spec';
import type { TrainInput } from '../../shared/jobs/train';

/** The defaults a RunConfig leaves to its context (the schema's own defaults are already in it). */
export type ResolvedRunConfig = RunConfig & Pick<FrozenRunConfig, 'kTest' | 'trainable' | 'evalBatchSize'>;

/**
 * The one place a run's contextual defaults are resolved: K_test is K_train, a fresh run trains
 * every layer and a fine-tune follows the official recipe (last-bn+classifier), evaluation uses
 * twice the batch (at most 256).
 */
export function resolveRunConfig(cfg: RunConfig, context: { isFineTune: boolean }): ResolvedRunConfig {
  return {
    ...cfg,
    kTest: cfg.kTest ?? cfg.kTrain,
    trainable: cfg.trainable ?? (context.isFineTune ? 'last-bn+classifier' : 'full'),
    evalBatchSize: evalBatchSizeFor(cfg.batchSize),
  };
}

/** Evaluation (validation passes, sweeps) runs twice the training batch, at most 256. */
export const evalBatchSizeFor = (batchSize: number): number => Math.min(256, batchSize * 2);

export interface FreezeContext {
  isFineTune: boolean;
  specs: { train: DataSpec; val: DataSpec | null };
}

/** Resolves the defaults and adds what the run's data decided (normalisation, image counts): stored, never changed. */
export function freezeRunConfig(cfg: RunConfig, { isFineTune, specs }: FreezeContext): FrozenRunConfig {
  return {
    ...resolveRunConfig(cfg, { isFineTune }),
    normalizeValues: specs.train.normalize,
    trainImages: specs.train.items.length,
    valImages: specs.val?.items.length ?? 0,
  };
}

export interface TrainInputContext {
  specs: { train: DataSpec; val: DataSpec | null };
  checkpointDir: string;
  /** The parent run's checkpoint folder, when fine-tuning. */
  parentCheckpointDir: string | null;
  resume: boolean;
}

/** The engine's train job for a frozen config. */
export function toTrainInput(cfg: FrozenRunConfig, context: TrainInputContext): TrainInput {
  return {
    model: { arch: cfg.arch, width: cfg.width, ...(cfg.blocks ? { blocks: cfg.blocks } : {}) },
    init: context.parentCheckpointDir
      ? { kind: 'checkpoint', dir: context.parentCheckpointDir }
      : cfg.initModel
        ? { kind: 'checkpoint', dir: cfg.initModel.dir, head: cfg.initModel.head }
        : cfg.pretrainedDir
          ? { kind: 'pretrained', dir: cfg.pretrainedDir }
          : { kind: 'scratch' },
    trainable: cfg.trainable,
    train: context.specs.train,
    val: context.specs.val,
    batchSize: cfg.batchSize,
    evalBatchSize: cfg.evalBatchSize,
    epochs: cfg.epochs,
    seed: cfg.seed,
    optimizer: {
      lr: cfg.lr,
      momentum: cfg.momentum,
      nesterov: cfg.nesterov,
      weightDecay: cfg.weightDecay,
      labelSmoothing: cfg.labelSmoothing,
      // Only when set: configs stored before it existed keep their checkpoint key.
      ...(cfg.decayAllParams ? { decayAllParams: true } : {}),
    },
    schedule: {
      kind: cfg.schedule,
      warmupEpochs: cfg.warmupEpochs,
      milestones: cfg.milestones ?? [],
      gamma: cfg.gamma,
      minLr: cfg.minLr,
    },
    checkpointDir: context.checkpointDir,
    resume: context.resume,
    ...(cfg.backend ? { backend: cfg.backend } : {}),
  };
}
