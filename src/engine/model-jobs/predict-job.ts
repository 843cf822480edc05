import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { parse, relative } from 'node:path';
import { userError } from '../../shared/errors';
import type { PredictInput, PredictJobResult, PredictResultRow } from '../../shared/jobs/models';
import { ensureBackend } from '../backend/select-backend';
import { loadLatestCheckpoint } from '../checkpoint/checkpoint';
import type { BatchSource } from '../data/batch';
import { openBatchSource } from '../data/open-batch-source';
import { inferenceForward } from '../eval/forward';

export interface PredictContext {
  signal: AbortSignal;
  progress(p: { done: number; total: number }): void;
}

/**
 * The `predict` job: a checkpoint's logits, softmax probabilities and top-k classes for image
 * files, each prepared with the test transform at K (Resize(floor(K/crop_pct)) + CenterCrop(K),
 * the same pipeline as every evaluation).
 */
export async function runPredict(input: PredictInput, ctx: PredictContext): Promise<PredictJobResult> {
  const backend = await ensureBackend();
  const root = parse(input.files[0]!).root;
  if (input.files.some((f) => parse(f).root !== root)) throw userError('The images must all be on one drive', 'files');
  const checkpoint = await loadLatestCheckpoint(input.checkpointDir);
  if (!checkpoint) throw new Error(`No checkpoint in ${input.checkpointDir}`);
  tf.dispose(Object.values(checkpoint.slots));
  const model = checkpoint.model;
  let source: BatchSource | null = null;
  try {
    source = await openBatchSource(
      {
        root,
        classNames: ['image'],
        items: input.files.map((file) => ({ relPath: relative(root, file), label: 0 })),
        transform: { kind: 'test', k: input.k, cropPct: input.cropPct, interpolation: input.interpolation },
        normalize: input.normalize,
        seed: 0,
      },
      { workers: 0 },
    );
    return { backend: backend.name, rows: await predictAll(model, source, input, ctx) };
  } finally {
    await source?.close();
    model.dispose();
  }
}

async function predictAll(
  model: tfl.LayersModel,
  source: BatchSource,
  input: PredictInput,
  ctx: PredictContext,
): Promise<PredictResultRow[]> {
  const forward = inferenceForward(model, { features: false });
  const rows: PredictResultRow[] = [];
  try {
    for await (const batch of source.epoch(0, { batchSize: input.batchSize, dropLast: false, signal: ctx.signal })) {
      const logits = tf.tidy(() => forward.run(tf.tensor4d(batch.pixels, [batch.size, batch.k, batch.k, 3])).logits);
      const values = (await logits.array()) as number[][];
      logits.dispose();
      values.forEach((row, i) =>
        rows.push({ path: input.files[batch.indices[i]!]!, logits: row, top: topClasses(row, input.topK) }),
      );
      ctx.progress({ done: rows.length, total: input.files.length });
    }
  } finally {
    forward.dispose();
  }
  return rows;
}

/** Softmax (computed in float64, shifted by the max) and the k most probable classes. */
export function topClasses(logits: number[], k: number): { index: number; probability: number }[] {
  const max = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps
    .map((e, index) => ({ index, probability: e / sum }))
    .sort((a, b) => b.probability - a.probability || a.index - b.index)
    .slice(0, k);
}
