import type { ArchName } from '../models/registry';
import type { DataSpec, Interpolation } from './data-spec';

/** Read PyTorch weights (safetensors or torch.save) and store them as a lab checkpoint in `outDir`. */
export interface ImportWeightsInput {
  file: string;
  arch: ArchName;
  outDir: string;
}

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
export type HeadChange =
  { kind: 'keep' } | { kind: 'reorder'; order: number[] } | { kind: 'new'; numClasses: number; seed: number };

/** Copy a model's checkpoint into a run's folder with its head changed as asked (no training). */
export interface AdoptModelInput {
  fromDir: string;
  toDir: string;
  head: HeadChange;
}

export interface AdoptModelJob {
  input: AdoptModelInput;
  progress: never;
  result: { numClasses: number };
}

/** Run a checkpoint on image files with the test transform at K. */
export interface PredictInput {
  checkpointDir: string;
  files: string[];
  k: number;
  cropPct: number;
  interpolation: Interpolation;
  normalize: DataSpec['normalize'];
  topK: number;
  batchSize: number;
}

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
export interface ExportWeightsInput {
  checkpointDir: string;
  arch: ArchName;
  outFile: string;
}

export interface ExportWeightsJob {
  input: ExportWeightsInput;
  progress: never;
  result: { bytes: number; tensors: number };
}
