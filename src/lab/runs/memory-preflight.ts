import { totalmem } from 'node:os';
import { memoryLimitOf, memoryRefusal, outOfMemoryMessage, type TrainingShape } from '../../core/training-memory';
import type { RunConfig } from '../../shared/api/runs';
import { userError } from '../../shared/errors';
import { MODELS } from '../../shared/models/registry';
import { HEAD_ONLY_MODES } from '../../shared/models/trainable';
import { resolveRunConfig } from './run-config';

/**
 * Refuses a run whose estimated training memory exceeds what its backend has, before anything is
 * stored: "K 1024 × batch 256 needs ~N GB; the WebAssembly backend has 4 GB: lower the batch to ≤ M".
 * `backend` is the one the run will get when the lab knows it (the run's own choice, the engine's
 * report, FIXRES_BACKEND); otherwise the engine checks again once it has picked one.
 */
export function refuseIfTooLarge(cfg: RunConfig, numClasses: number, backend: string | null, isFineTune: boolean): void {
  if (!backend) return;
  // A head-only fine-tune's trunk runs forward-only on ONNX Runtime (unless FIXRES_FORWARD=tfjs): the
  // engine checks that pass, or the whole step when the trunk stays in tfjs after all.
  const trainable = resolveRunConfig(cfg, { isFineTune }).trainable;
  if (HEAD_ONLY_MODES.has(trainable) && process.env.FIXRES_FORWARD?.trim() !== 'tfjs') return;
  const refusal = memoryRefusal(runShape(cfg, numClasses), memoryLimitOf(backend, totalmem()));
  if (refusal) throw userError(refusal, 'batchSize');
}

/** A run whose engine died of running out of memory, in the words of the refusal: its size, the backend, a batch that leaves room. */
export function runOutOfMemory(cfg: RunConfig, numClasses: number, backend: string, cause: string): string {
  return outOfMemoryMessage(runShape(cfg, numClasses), backend, memoryLimitOf(backend, totalmem()), cause);
}

function runShape(cfg: RunConfig, numClasses: number): TrainingShape {
  return {
    graph: MODELS[cfg.arch],
    width: cfg.width,
    ...(cfg.blocks ? { blocks: cfg.blocks } : {}),
    numClasses,
    k: cfg.kTrain,
    batch: cfg.batchSize,
  };
}
