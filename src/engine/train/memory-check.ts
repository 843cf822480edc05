import { totalmem } from 'node:os';
import { memoryLimitOf, memoryRefusal, outOfMemoryMessage, type TrainingShape } from '../../core/training-memory';
import { userError } from '../../shared/errors';
import type { TrainInput } from '../../shared/jobs/train';
import { MODELS } from '../../shared/models/registry';
import { isOutOfMemory } from '../process/job-error';

/** What a training job holds per step, from its model and data specs. */
export function trainingShapeOf(input: TrainInput): TrainingShape {
  return {
    graph: MODELS[input.model.arch],
    width: input.model.width,
    ...(input.model.blocks ? { blocks: input.model.blocks } : {}),
    numClasses: input.train.classNames.length,
    k: input.train.transform.k,
    batch: input.batchSize,
  };
}

/** Refuses, before anything is allocated, a run whose estimated memory exceeds what `backend` has. */
export function assertFitsMemory(input: TrainInput, backend: string): void {
  const refusal = memoryRefusal(trainingShapeOf(input), memoryLimitOf(backend, totalmem()));
  if (refusal) throw userError(refusal, 'batchSize');
}

/**
 * A training job's failure in words: running out of memory (a failed allocation, or the wasm heap
 * trap it causes) names the run's size, the backend and a batch that leaves room; other errors stay.
 */
export function describeTrainingFailure(err: unknown, input: TrainInput, backend: string): unknown {
  if (!isOutOfMemory(err)) return err;
  const cause = (err as Error).message?.split('\n')[0] ?? String(err);
  const out = new Error(outOfMemoryMessage(trainingShapeOf(input), backend, memoryLimitOf(backend, totalmem()), cause));
  out.name = 'OutOfMemory';
  return out;
}
