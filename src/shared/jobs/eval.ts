import { z } from 'zod';
import { DataSpec } from './data-spec';

/** Classification metrics of one evaluation pass (computed by src/core/metrics.ts). */
export interface ClassificationMetrics {
  n: number;
  /** Mean cross-entropy per sample. */
  loss: number;
  top1: number;
  top5: number;
  /** Accuracy per true class; null for a class with no samples. */
  perClassAccuracy: (number | null)[];
  /** confusion[trueClass][predictedClass] = count. */
  confusion: number[][];
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
