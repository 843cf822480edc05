import { z } from 'zod';
import { DataSpec } from './data-spec';

/** Classification metrics of one evaluation pass (computed by src/core/metrics.ts). */
export interface ClassificationMetrics {
  n: number;
  /** Mean cross-entropy per sample. */
  loss: number;
  top1: number;
  /** Null with 5 classes or fewer, where it would always be 1. */
  top5: number | null;
  /** Accuracy per true class; null for a class with no samples. */
  perClassAccuracy: (number | null)[];
  /** confusion[trueClass][predictedClass] = count. */
  confusion: number[][];
  /** Per item of the evaluated list (in its order): 1 when its top-1 prediction was right. */
  correct?: Uint8Array;
  /** Per item of the evaluated list (in its order), when the tally kept them: for the mistakes gallery. */
  items?: ItemOutcomes;
}

/** What the model said about each evaluated item, in item order. */
export interface ItemOutcomes {
  /** Top-1 class index (-1 for an item not evaluated). */
  predicted: Int32Array;
  /** Softmax probability of that class. */
  confidence: Float32Array;
}

/** One evaluation pass as the lab stores it: the confusion matrix and every item's prediction. */
export interface PassOutcome {
  confusion: number[][];
  items: ItemOutcomes;
}

/** The model to evaluate: a run's latest checkpoint, or a user's tfjs LayersModel folder. */
export const EvalModelSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('checkpoint'), dir: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('pretrained'), dir: z.string().min(1) }).strict(),
]);
export type EvalModelSource = z.infer<typeof EvalModelSource>;

export const EvaluateInput = z
  .object({
    model: EvalModelSource,
    /** Usually a `test` transform at the K_test to measure. */
    data: DataSpec,
    batchSize: z.number().int().positive(),
    /** Also return every image's pooled features (N × dim); for small sets only. */
    returnFeatures: z.boolean().optional(),
  })
  .strict();
export type EvaluateInput = z.infer<typeof EvaluateInput>;

export interface PooledFeatures {
  dim: number;
  /** N × dim, row i belongs to indices[i]. */
  values: Float32Array;
  labels: Int32Array;
  /** Item index into data.items. */
  indices: Int32Array;
}

/** The engines that run inference forward passes: tfjs on the engine's backend, or ONNX Runtime on an ONNX export. */
export type ForwardEngine = 'tfjs' | 'onnxruntime';

/** Where a job's forward passes ran, and why there (src/engine/eval/forward-choice.ts). */
export interface ForwardReport {
  engine: ForwardEngine;
  /** E.g. "onnxruntime 1.31.1 cpu, 2 threads" or "tfjs wasm, BN folded". */
  detail: string;
  reason: string;
}

export interface EvaluateResult extends ClassificationMetrics {
  backend: string;
  /** Where the forward passes ran (absent from engines older than ONNX Runtime support). */
  forward?: ForwardReport;
  k: number;
  seconds: number;
  imgPerSec: number;
  features: PooledFeatures | null;
}

export interface EvaluateProgress {
  done: number;
  total: number;
}

export interface EvaluateJob {
  input: EvaluateInput;
  progress: EvaluateProgress;
  result: EvaluateResult;
}
