import { DEFAULT_WARMUP_START_FACTOR } from '../../core/schedules';
import type { FrozenRunConfig, Run } from '../../shared/api/runs';
import { userError } from '../../shared/errors';
import { MODELS } from '../../shared/models/registry';

/** The recipe.json format train.py reads; bump when its fields change meaning. */
export const RECIPE_FORMAT = 'fixres-torchrun-recipe/1';
/** Where a fine-tune recipe's starting weights sit, next to train.py. */
export const INIT_WEIGHTS = 'init.safetensors';

/** What train.py needs to know about a run, in its own (snake_case, PyTorch-named) terms. */
export type TorchrunRecipe = ReturnType<typeof torchrunRecipe>;

/**
 * The recipe.json of a run: architecture, transforms, optimiser, schedule, epochs, global batch and
 * seed exactly as the frozen config has them, the dataset's class names in ImageFolder's (sorted)
 * order, and the run's id so the imported result can name the run it reproduces. Refuses what the
 * script does not reproduce yet, saying what to change.
 */
export function torchrunRecipe(
  run: Pick<Run, 'kind' | 'name' | 'parentId'> & { id: number | null },
  cfg: FrozenRunConfig,
  classes: string[],
  labId: string,
) {
  const which = run.id === null ? 'This run' : `Run #${run.id}`;
  if (run.kind !== 'train' && run.kind !== 'finetune')
    throw userError(`${which} is a ${run.kind} run: only training and fine-tune runs export as a recipe`, 'id');
  if (cfg.pretrainedDir || cfg.initModel)
    throw userError(`${which} starts from outside weights, which the recipe cannot carry yet: export a run trained from scratch or a fine-tune`, 'id');
  if (cfg.augment === 'da2')
    throw userError(`${which} uses DA2, which the PyTorch recipe does not reproduce yet: export a run with RRC or DA1`, 'id');
  if (cfg.arch !== 'resnet-mini' && cfg.width !== 1)
    throw userError(`${which} scales ${cfg.arch} by ${cfg.width}; torchvision builds it only at width 1`, 'id');
  if (classes.length < 2) throw userError(`${which}'s dataset has ${classes.length} usable classes; a recipe needs two or more`, 'id');
  const isFinetune = run.kind === 'finetune';
  return {
    format: RECIPE_FORMAT,
    run_id: run.id,
    /** The database the run lives in: an import links back to the run only in that lab. */
    lab_id: labId,
    run_name: run.name,
    kind: run.kind,
    parent_run_id: run.parentId,
    arch: cfg.arch,
    width: cfg.width,
    blocks: cfg.arch === 'resnet-mini' ? (cfg.blocks ?? MODELS['resnet-mini'].blocks) : null,
    classes,
    trainable: cfg.trainable,
    init: isFinetune ? INIT_WEIGHTS : null,
    k_train: cfg.kTrain,
    k_test: cfg.kTest,
    crop_pct: cfg.cropPct,
    scale: cfg.scale,
    ratio: cfg.ratio,
    augment: cfg.augment,
    hflip: cfg.hflip,
    jitter: cfg.jitter,
    interpolation: cfg.interpolation,
    mean: cfg.normalizeValues.mean,
    std: cfg.normalizeValues.std,
    epochs: cfg.epochs,
    batch_size: cfg.batchSize,
    seed: cfg.seed,
    optimizer: {
      lr: cfg.lr,
      momentum: cfg.momentum,
      nesterov: cfg.nesterov,
      weight_decay: cfg.weightDecay,
      label_smoothing: cfg.labelSmoothing,
    },
    schedule: {
      kind: cfg.schedule,
      base_lr: cfg.lr,
      warmup_epochs: cfg.warmupEpochs,
      warmup_start_factor: DEFAULT_WARMUP_START_FACTOR,
      milestones: cfg.milestones ?? [],
      gamma: cfg.gamma,
      min_lr: cfg.minLr,
    },
    differences: [
      "Weights start from PyTorch's own seeded initialisation (torchvision's ResNet init), not the lab's random stream.",
      'batch_size is global: each of N processes takes batch_size / N; BatchNorm statistics are per process.',
      "Validation uses --data's val/ folder when it has one; the lab's seeded split of a single folder is not reproduced (every image trains).",
      ...(cfg.trainable === 'last-bn+classifier'
        ? ['last-bn+classifier follows the official FixRes code: only fc has gradients; the last BN re-estimates its statistics in train mode.']
        : []),
    ],
  };
}
