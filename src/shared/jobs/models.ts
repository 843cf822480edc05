import { z } from 'zod';
import { Arch } from '../models/registry';
import { DataSpec, Interpolation } from './data-spec';

/** Read PyTorch weights (safetensors or torch.save) and store them as a lab checkpoint in `outDir`. */
export const ImportWeightsInput = z
  .object({
    file: z.string().min(1),
    arch: Arch,
    outDir: z.string().min(1),
  })
  .strict();
export type ImportWeightsInput = z.infer<typeof ImportWeightsInput>;

export interface ImportWeightsResult {
  format: 'safetensors' | 'torch-zip' | 'torch-legacy';
  sha256: string;
  bytes: number;
  numClasses: number;
  width: number;
  /** Blocks per stage (architectures with a configurable depth), else null. */
  blocks: number[] | null;
  params: number;
  /** Where the state_dict was (`model`, `state_dict`, "" at the top) and the prefix removed (`module.`). */
  weightsAt: string;
  strippedPrefix: string;
  seconds: number;
}

export interface ImportWeightsJob {
  input: ImportWeightsInput;
  progress: never;
  result: ImportWeightsResult;
}

/**
 * What happens to a model's classifier when it is put to work on a dataset: kept, its rows
 * reordered to the dataset's class order (`order[i]` = the model's class for dataset class i),
 * or replaced by a fresh seeded one with the dataset's class count (a linear probe trains it).
 */
export const HeadChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('keep') }).strict(),
  z.object({ kind: z.literal('reorder'), order: z.array(z.number().int().min(0)) }).strict(),
  z.object({ kind: z.literal('new'), numClasses: z.number().int().positive(), seed: z.number().int() }).strict(),
]);
export type HeadChange = z.infer<typeof HeadChange>;

/** Copy a model's checkpoint into a run's folder with its head changed as asked (no training). */
export const AdoptModelInput = z
  .object({
    fromDir: z.string().min(1),
    toDir: z.string().min(1),
    head: HeadChange,
  })
  .strict();
export type AdoptModelInput = z.infer<typeof AdoptModelInput>;

export interface AdoptModelJob {
  input: AdoptModelInput;
  progress: never;
  result: { numClasses: number };
}

/** Run a checkpoint on image files with the test transform at K. */
export const PredictInput = z
  .object({
    checkpointDir: z.string().min(1),
    files: z.array(z.string().min(1)).min(1),
    k: z.number().int().positive(),
    cropPct: z.number().gt(0).max(1),
    interpolation: Interpolation,
    normalize: DataSpec.shape.normalize,
    topK: z.number().int().positive(),
    batchSize: z.number().int().positive(),
  })
  .strict();
export type PredictInput = z.infer<typeof PredictInput>;

export interface PredictResultRow {
  path: string;
  logits: number[];
  top: { index: number; probability: number }[];
}

export interface PredictJobResult {
  backend: string;
  rows: PredictResultRow[];
}

export interface PredictJob {
  input: PredictInput;
  progress: { done: number; total: number };
  result: PredictJobResult;
}

/** Write a checkpoint's weights as `model.safetensors` with torchvision key names. */
export const ExportWeightsInput = z
  .object({
    checkpointDir: z.string().min(1),
    arch: Arch,
    outFile: z.string().min(1),
  })
  .strict();
export type ExportWeightsInput = z.infer<typeof ExportWeightsInput>;

export interface ExportWeightsJob {
  input: ExportWeightsInput;
  progress: never;
  result: { bytes: number; tensors: number };
}
