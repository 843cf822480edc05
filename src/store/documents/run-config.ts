import { z } from 'zod';
import { RunConfig, type FrozenRunConfig } from '../../shared/api/runs';
import { IMAGENET_NORMALIZE } from '../../shared/jobs/data-spec';
import { DocumentHistory } from './stored-document';
import type { SameType } from './same-type';

// Open-ended choices follow the contract (a new architecture or backend needs no new version);
// ranges are the request's business, not the stored record's.
const f = RunConfig.shape;
const pair = z.tuple([z.number(), z.number()]);
const triple = z.tuple([z.number(), z.number(), z.number()]);

/** What `freezeRunConfig` stored from the first runs (schema 3): a seeded hold-out of `valFraction`. */
const V1 = z.strictObject({
  datasetId: z.number().int(),
  name: z.string().optional(),
  parentRunId: z.number().int().optional(),
  pretrainedDir: z.string().optional(),
  arch: f.arch.unwrap(),
  width: z.number(),
  blocks: triple.optional(),
  trainable: f.trainable.unwrap(),
  kTrain: z.number().int(),
  kTest: z.number().int(),
  cropPct: z.number(),
  scale: pair,
  ratio: pair,
  augment: f.augment.unwrap(),
  hflip: z.boolean(),
  jitter: z.number(),
  interpolation: f.interpolation.unwrap(),
  valFraction: z.number(),
  epochs: z.number().int(),
  batchSize: z.number().int(),
  lr: z.number(),
  momentum: z.number(),
  nesterov: z.boolean(),
  weightDecay: z.number(),
  labelSmoothing: z.number(),
  schedule: f.schedule.unwrap(),
  warmupEpochs: z.number(),
  milestones: z.array(z.number().int()).optional(),
  gamma: z.number(),
  minLr: z.number(),
  seed: z.number().int(),
  backend: f.backend.unwrap().optional(),
  evalBatchSize: z.number().int(),
  trainImages: z.number().int(),
  valImages: z.number().int(),
});

/** Runs use the dataset's own split; inputs are normalised with ImageNet's or the dataset's statistics, resolved once. */
const V2 = V1.omit({ valFraction: true }).extend({
  normalize: f.normalize.unwrap(),
  normalizeValues: z.strictObject({ mean: triple, std: triple }),
});

/** Runs may keep decoded images in memory (`decodeCache`). */
const V3 = V2.extend({ decodeCache: z.boolean() });

/** What happens to an imported model's classifier on the run's dataset (HeadChange). */
const Head = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('keep') }),
  z.strictObject({ kind: z.literal('reorder'), order: z.array(z.number().int()) }),
  z.strictObject({ kind: z.literal('new'), numClasses: z.number().int(), seed: z.number().int() }),
]);

/** Runs may start from an imported model (kind `import`): its id, checkpoint and what happens to its classifier. */
const V4 = V3.extend({
  modelId: z.number().int().optional(),
  initModel: z.strictObject({ modelId: z.number().int(), dir: z.string(), head: Head }).optional(),
});

/** A run's frozen configuration (`runs.config`). */
export const runConfigDocument = DocumentHistory.start('run configuration', V1)
  // Version 1 runs normalised with ImageNet's statistics (the only choice then).
  .then(V2, ({ valFraction: _heldOut, ...v1 }) => ({
    ...v1,
    normalize: 'imagenet' as const,
    normalizeValues: IMAGENET_NORMALIZE,
  }))
  // Runs stored before the cache existed train without it, so their data specs (hashed into checkpoints) stay.
  .then(V3, (v2) => ({ ...v2, decodeCache: false }))
  // Earlier runs started from scratch, a parent or a tfjs folder: nothing to add.
  .then(V4, (v3) => v3)
  .done({ unmarkedUpTo: 3 });

const _latestIsTheContract: SameType<z.output<typeof V4>, FrozenRunConfig> = true;
void _latestIsTheContract;
