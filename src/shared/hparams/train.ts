import { z } from 'zod';
import { BackendName } from '../backends';
import { IMAGENET_NORMALIZE } from '../jobs/data-spec';
import { Arch, MODELS } from '../models/registry';
import { TRAINABLE_MODE_LABELS, TrainableMode } from '../models/trainable';
import {
  BatchSize,
  CropPct,
  Epochs,
  Interpolation,
  KSize,
  LearningRate,
  RatioRange,
  RUN_LIMITS,
  ScaleRange,
  Seed,
} from './fields';

const blockCount = z.number().int().min(1).max(50);
const fraction = z.number().gt(0).max(1);

/**
 * Every training hyperparameter, once: its type, range, default and how it is presented
 * (`.meta()`: label, help, unit, CLI flag, form widget). RunConfig extends it; the workflow picks
 * from it; CLI flags and form fields are generated from it.
 */
export const HParams = z.object({
  arch: Arch.meta({
    label: 'Model',
    help: `Architecture to build: ${Arch.options.map((a) => `${a}, ${MODELS[a].description}`).join('; ')}`,
    flag: 'model',
    widget: 'select',
  }).default('resnet-mini'),
  width: z
    .number()
    .gt(0)
    .max(RUN_LIMITS.maxWidth)
    .meta({ label: 'Width ×', help: 'Channel multiplier (1 = the paper widths)', hint: `channels × (≤ ${RUN_LIMITS.maxWidth})` })
    .default(1),
  blocks: z
    .tuple([blockCount, blockCount, blockCount])
    .meta({
      label: 'Blocks per stage',
      help: 'resnet-mini only: basic blocks in each of its three stages',
      valueName: 'a,b,c',
      inForm: false,
    })
    .optional(),
  trainable: TrainableMode.meta({
    label: 'Trainable',
    help: 'Which layers train: the classifier alone, with every BatchNorm or with the last one (before pooling), or all (default: full, or bn+classifier for a fine-tune)',
    widget: 'select',
    options: TRAINABLE_MODE_LABELS,
    placeholder: 'default (full)',
  }).optional(),
  kTrain: KSize.meta({ label: 'K_train', unit: 'px', help: 'Side of the training crops', hint: 'train crop side', valueName: 'K' }).default(32),
  kTest: KSize.meta({
    label: 'K_test',
    unit: 'px',
    help: 'Side of the validation crops (default: K_train)',
    hint: 'empty: K_train',
    valueName: 'K',
  }).optional(),
  cropPct: CropPct.meta({ label: 'crop_pct', help: 'Test transform: resize the shorter side to K/crop_pct, then centre-crop K' }).default(
    0.875,
  ),
  scale: ScaleRange.meta({ label: 'Crop scale (area)', help: 'RandomResizedCrop: range of the crop area, as a fraction of the image' }).default([
    0.08, 1,
  ]),
  ratio: RatioRange.meta({ label: 'Crop ratio (w/h)', help: 'RandomResizedCrop: range of the crop aspect ratio' }).default([3 / 4, 4 / 3]),
  augment: z
    .enum(['rrc', 'da1', 'da2'])
    .meta({
      label: 'Augmentation',
      help: 'Training transform: RandomResizedCrop (+ flip, jitter), FixRes DA1 (the test transform) or DA2 (shifted centre crop)',
      widget: 'select',
      options: { rrc: 'RRC (default)', da1: 'DA1 (test crop)', da2: 'DA2 (shifted)' },
    })
    .default('rrc'),
  hflip: z.boolean().meta({ label: 'Horizontal flip', help: 'Flip training crops at random' }).default(true),
  jitter: z.number().min(0).max(1).meta({ label: 'Colour jitter', help: 'Brightness, contrast and saturation jitter strength' }).default(0),
  interpolation: Interpolation.meta({ label: 'Interpolation', help: 'How crops are resampled', widget: 'select' }).default('bilinear'),
  /**
   * Keep decoded images in memory (bounded) and crop from them after the first epoch: copies
   * of large images are shrunk only so far that every crop keeps ≥ K pixels; test-transform
   * pixels are identical. Runs stored before this setting existed train without it.
   */
  decodeCache: z
    .boolean()
    .meta({
      label: 'Keep decoded images in memory',
      help: 'Decode each image once and crop from the kept copy after the first epoch',
    })
    .default(true),
  normalize: z
    .enum(['imagenet', 'dataset'])
    .meta({
      label: 'Normalisation',
      help: `Input mean/std: ImageNet's (${IMAGENET_NORMALIZE.mean.join(', ')}) or the dataset's own training images'`,
      widget: 'select',
    })
    .default('imagenet'),
  epochs: Epochs.meta({ label: 'Epochs', help: 'Passes over the training images', valueName: 'N' }).default(10),
  batchSize: BatchSize.meta({ label: 'Batch size', help: 'Images per training step', flag: 'batch', valueName: 'B' }).default(32),
  lr: LearningRate.meta({ label: 'Learning rate', help: 'Base learning rate of SGD', valueName: 'X' }).default(0.1),
  momentum: z.number().min(0).lt(1).meta({ label: 'Momentum', help: 'SGD momentum' }).default(0.9),
  nesterov: z.boolean().meta({ label: 'Nesterov', help: 'Nesterov momentum' }).default(false),
  weightDecay: z.number().min(0).max(0.1).meta({ label: 'Weight decay', help: 'L2 penalty on conv and dense kernels' }).default(5e-4),
  labelSmoothing: z.number().min(0).max(0.5).meta({ label: 'Label smoothing', help: 'Label smoothing of the loss' }).default(0),
  schedule: z
    .enum(['constant', 'step', 'cosine', 'linear'])
    .meta({ label: 'LR schedule', help: 'How the learning rate moves over the run', widget: 'select' })
    .default('cosine'),
  warmupEpochs: z
    .number()
    .min(0)
    .max(RUN_LIMITS.maxEpochs)
    .meta({ label: 'Warm-up epochs', help: 'Linear warm-up of the learning rate', flag: 'warmup', valueName: 'E' })
    .default(0),
  milestones: z
    .array(z.number().int().min(1).max(RUN_LIMITS.maxEpochs))
    .max(20)
    .meta({ label: 'Milestones', help: 'step schedule: epochs at which the rate is multiplied by gamma', widget: 'list' })
    .optional(),
  gamma: fraction.meta({ label: 'Gamma', help: 'step schedule: the factor at each milestone' }).default(0.1),
  minLr: z.number().min(0).meta({ label: 'Final learning rate', help: 'cosine/linear schedules: the rate they end at' }).default(0),
  seed: Seed.meta({ label: 'Seed', help: 'Seeds weights, data order and augmentation', valueName: 'S' }).default(0),
  backend: BackendName.meta({
    label: 'Compute backend',
    help: 'Require this compute backend (default: the best available)',
    hint: 'best available unless forced',
    widget: 'select',
    valueName: 'NAME',
    placeholder: 'Automatic',
    options: { 'tensorflow-gpu': 'tensorflow-gpu (CUDA)', tensorflow: 'tensorflow (native CPU)', cpu: 'cpu (pure JS)' },
  }).optional(),
});
export type HParams = z.output<typeof HParams>;

/** A warm-up must fit in the run (RunConfig and the workflow check it alike). */
export const warmupFits = (c: { warmupEpochs: number; epochs: number }): boolean => c.warmupEpochs <= c.epochs;
export const WARMUP_TOO_LONG = { path: ['warmupEpochs'], message: 'Warm-up cannot be longer than training' };
