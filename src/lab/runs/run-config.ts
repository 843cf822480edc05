import type { FrozenRunConfig, RunConfig } from '../../shared/api/runs';
import type { DataSpec } from '../../shared/jobs/data-spec';
import type { TrainInput } from '../../shared/jobs/train';

export interface FreezeContext {
  isFineTune: boolean;
  specs: { train: DataSpec; val: DataSpec | null };
}

/** Resolves every default that depends on the run's context, once; the result is stored and never changes. */
export function freezeRunConfig(cfg: RunConfig, context: FreezeContext): FrozenRunConfig {
  return {
    ...cfg,
    kTest: cfg.kTest ?? cfg.kTrain,
    trainable: cfg.trainable ?? (context.isFineTune ? 'last-bn+classifier' : 'full'),
    evalBatchSize: Math.min(256, cfg.batchSize * 2),
    normalizeValues: context.specs.train.normalize,
    trainImages: context.specs.train.items.length,
    valImages: context.specs.val?.items.length ?? 0,
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
