import type * as tfl from '@tensorflow/tfjs-layers';
import type { DataSpec } from '../../shared/jobs/data-spec';
import type { EvalModelSource, EvaluateInput, EvaluateProgress, EvaluateResult, PooledFeatures } from '../../shared/jobs/eval';
import { ensureBackend } from '../backend/select-backend';
import { loadCheckpointModel } from '../checkpoint/checkpoint-model';
import type { BatchSource } from '../data/batch';
import { importPretrained } from '../models/import-pretrained';
import { evaluate, type FeatureBatch } from './evaluate';
import { backendLabel } from '../../shared/backends';
import { openForwardPass } from './open-forward';

export interface EvaluationContext {
  signal: AbortSignal;
  progress(p: EvaluateProgress): void;
  openSource(spec: DataSpec): Promise<BatchSource>;
}

/** The `evaluate` job: one pass over `data` at its K with a checkpoint or imported model. */
export async function runEvaluation(input: EvaluateInput, ctx: EvaluationContext): Promise<EvaluateResult> {
  const backend = await ensureBackend();
  const started = performance.now();
  const source = await ctx.openSource(input.data);
  let model: tfl.LayersModel | null = null;
  try {
    model = await loadEvalModel(input.model, input.data.classNames.length);
    const collected: FeatureBatch[] = [];
    const forward = await openForwardPass(model, {
      features: Boolean(input.returnFeatures),
      source: input.model,
      backend,
      size: { k: source.k, batch: Math.min(input.batchSize, source.numItems) },
    });
    const metrics = await evaluate(model, source, {
      batchSize: input.batchSize,
      signal: ctx.signal,
      forward,
      onBatch: (done) => ctx.progress({ done, total: source.numItems }),
      ...(input.returnFeatures ? { onFeatures: (b: FeatureBatch) => collected.push(b) } : {}),
    }).finally(() => forward.dispose());
    const seconds = (performance.now() - started) / 1000;
    const { correct: _perImage, ...totals } = metrics;
    return {
      ...totals,
      backend: backendLabel(backend),
      forward: forward.report,
      k: source.k,
      seconds,
      imgPerSec: metrics.n / Math.max(1e-9, seconds),
      features: input.returnFeatures ? joinFeatures(collected) : null,
    };
  } finally {
    model?.dispose();
    await source.close();
  }
}

/** Loads the model to evaluate; refuses one whose classifier does not match the data's classes. */
export async function loadEvalModel(from: EvalModelSource, numClasses: number): Promise<tfl.LayersModel> {
  if (from.kind === 'pretrained') {
    const { model, classifierKept } = await importPretrained(from.dir, { numClasses });
    if (classifierKept) return model;
    model.dispose();
    throw new Error(`The model in ${from.dir} does not predict ${numClasses} classes, so it cannot be evaluated on this data`);
  }
  return loadCheckpointModel(from.dir, numClasses);
}

function joinFeatures(batches: FeatureBatch[]): PooledFeatures {
  const dim = batches[0]?.dim ?? 0;
  const n = batches.reduce((s, b) => s + b.labels.length, 0);
  const out: PooledFeatures = { dim, values: new Float32Array(n * dim), labels: new Int32Array(n), indices: new Int32Array(n) };
  let row = 0;
  for (const b of batches) {
    out.values.set(b.features, row * dim);
    out.labels.set(b.labels, row);
    out.indices.set(b.indices, row);
    row += b.labels.length;
  }
  return out;
}
