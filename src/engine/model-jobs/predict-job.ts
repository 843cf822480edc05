import * as tf from '@tensorflow/tfjs-core';
import { parse, relative } from 'node:path';
import { userError } from '../../shared/errors';
import type { PredictInput, PredictJobResult, PredictResultRow } from '../../shared/jobs/models';
import { ensureBackend } from '../backend/select-backend';
import { loadLatestCheckpoint } from '../checkpoint/checkpoint';
import type { BatchSource } from '../data/batch';
import { openBatchSource } from '../data/open-batch-source';
import type { ForwardPass } from '../eval/forward-pass';
import { openForwardPass } from '../eval/open-forward';

export interface PredictContext {
  signal: AbortSignal;
  progress(p: { done: number; total: number }): void;
}

/**
 * The `predict` job: a checkpoint's logits, softmax probabilities and top-k classes for image
 * files, each prepared with the test transform at K (Resize(floor(K/crop_pct)) + CenterCrop(K),
 * the same pipeline as every evaluation), on the forward engine evaluations use. `backend`
 * says which ran it ("onnxruntime 1.31.1 cpu, 2 threads", "tfjs wasm, BN folded").
 */
export async function runPredict(input: PredictInput, ctx: PredictContext): Promise<PredictJobResult> {
  const backend = await ensureBackend();
  const root = parse(input.files[0]!).root;
  if (input.files.some((f) => parse(f).root !== root)) throw userError('The images must all be on one drive', 'files');
  const checkpoint = await loadLatestCheckpoint(input.checkpointDir);
  if (!checkpoint) throw userError(`No checkpoint in ${input.checkpointDir}`, undefined, 'NotFound');
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
    // The fastest forward engine there is (ONNX Runtime on the checkpoint's cached export, else tfjs), as sweeps use.
    const forward = await openForwardPass(model, {
      features: false,
      source: { kind: 'checkpoint', dir: input.checkpointDir },
      backend,
      size: { k: input.k, batch: Math.min(input.batchSize, input.files.length) },
    });
    try {
      return { backend: forward.report.detail, rows: await predictAll(forward, source, input, ctx) };
    } finally {
      await forward.dispose();
    }
  } finally {
    await source?.close();
    model.dispose();
  }
}

async function predictAll(
  forward: ForwardPass,
  source: BatchSource,
  input: PredictInput,
  ctx: PredictContext,
): Promise<PredictResultRow[]> {
  const rows: PredictResultRow[] = [];
  for await (const batch of source.epoch(0, { batchSize: input.batchSize, dropLast: false, signal: ctx.signal })) {
    const { logits, pooled } = await forward.run(batch);
    const values = (await logits.array()) as number[][];
    tf.dispose([logits, ...(pooled ? [pooled] : [])]);
    values.forEach((row, i) =>
      rows.push({ path: input.files[batch.indices[i]!]!, logits: row, top: topClasses(row, input.topK) }),
    );
    ctx.progress({ done: rows.length, total: input.files.length });
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
