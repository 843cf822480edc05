import { z } from 'zod';
import { KTestList } from './fields';

/** Where the train-resolution (reference) fit of the Fréchet adaptation comes from. */
export const ReferenceSource = z.enum(['train-augment', 'val-at-k-train']);
export type ReferenceSource = z.infer<typeof ReferenceSource>;

/** How a K_test sweep measures a run: which sizes, the Fréchet series and its reference fit. */
export const SweepHParams = z.object({
  /** Default: K_train·0.5 … K_train·2 on a grid through K_train, plus K_test* (sweeps.plan shows it). */
  kTests: KTestList.meta({
    label: 'K_test list',
    unit: 'px',
    help: 'Test sizes to measure (default: K_train/2 … 2·K_train on a grid, plus K_test*)',
    flag: 'k-test',
    widget: 'list',
    valueName: '16,24,32',
    placeholder: 'default plan',
  }).optional(),
  step: z
    .number()
    .int()
    .min(1)
    .max(256)
    .meta({ label: 'Grid step', unit: 'px', help: 'Step of the default K_test grid (16 from K_train 128 up, smaller below)' })
    .optional(),
  adapter: z
    .enum(['none', 'frechet'])
    .meta({
      label: 'Adaptation',
      help: 'frechet adds the parametric-adaptation series',
      flag: 'adapt',
      widget: 'select',
      options: { none: 'none (test as is)', frechet: 'Fréchet (adds a series)' },
    })
    .default('none'),
  reference: ReferenceSource.meta({
    label: 'Fréchet reference',
    help: 'The fit the adaptation maps onto: training images with the training transform, or val images at K_train',
    widget: 'select',
  }).default('train-augment'),
  referenceImages: z
    .number()
    .int()
    .min(10)
    .max(100_000)
    .meta({ label: 'Reference images', help: 'At most this many training images for the reference fit', flag: false })
    .default(2000),
  reservoir: z
    .number()
    .int()
    .min(100)
    .max(200_000)
    .meta({ label: 'Reservoir', help: 'Values kept per K_test for the Fréchet fit', flag: false })
    .default(20_000),
  xi: z.number().min(-0.5).max(2).meta({ label: 'ξ', help: 'The Fréchet shape, fixed unless fitted', flag: false }).default(0.3),
  freeXi: z.boolean().meta({ label: 'Fit ξ', help: 'Fit the Fréchet shape ξ too' }).default(false),
  /** Default: the run's evaluation batch. */
  batchSize: z
    .number()
    .int()
    .min(1)
    .max(1024)
    .meta({ label: 'Batch size', help: "Images per forward pass (default: the run's evaluation batch)", flag: false })
    .optional(),
});
