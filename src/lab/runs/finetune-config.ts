import { FINETUNE_LR_AT_512, type ParsedFinetuneRequest } from '../../shared/api/finetune';
import { RunConfig, type FrozenRunConfig, type Run } from '../../shared/api/runs';
import { userError } from '../../shared/errors';
import type { RunService } from './runs';

/** Colour-jitter strength of DA2 ("light colour jitter"). */
const DA2_JITTER = 0.1;

/**
 * The RunConfig of a FixRes fine-tune: everything about the model and its pre-processing comes
 * from the parent (architecture, crop_pct, interpolation, normalisation, dataset); the child
 * trains at K_test with SGD, momentum 0.9, a constant lr of 1e-3 · batch / 512 and no warm-up.
 */
export function finetuneConfig(
  parent: { id: number; datasetId: number; config: FrozenRunConfig },
  request: ParsedFinetuneRequest,
): RunConfig {
  const p = parent.config;
  const batchSize = request.batchSize ?? p.batchSize;
  const lr = request.lr ?? (FINETUNE_LR_AT_512 * batchSize) / 512;
  return RunConfig.parse({
    datasetId: parent.datasetId,
    name: request.name ?? `fine-tune of #${parent.id} at ${request.kTest} (${request.mode}, ${request.augment.toUpperCase()})`,
    parentRunId: parent.id,
    arch: p.arch,
    width: p.width,
    ...(p.blocks ? { blocks: p.blocks } : {}),
    trainable: request.mode,
    kTrain: request.kTest,
    kTest: request.kTest,
    cropPct: p.cropPct,
    scale: p.scale,
    ratio: p.ratio,
    augment: request.augment,
    hflip: p.hflip,
    jitter: request.augment === 'da2' ? DA2_JITTER : 0,
    interpolation: p.interpolation,
    normalize: p.normalize,
    epochs: request.epochs,
    batchSize,
    lr,
    momentum: 0.9,
    nesterov: false,
    weightDecay: p.weightDecay,
    labelSmoothing: p.labelSmoothing,
    schedule: 'constant',
    warmupEpochs: 0,
    seed: request.seed ?? p.seed,
    ...(p.backend ? { backend: p.backend } : {}),
  });
}

/** Starts a fine-tune of `request.parentRunId` through the run service (a queued child run). */
export function startFinetune(runs: RunService, request: ParsedFinetuneRequest): Run {
  const parent = runs.get(request.parentRunId);
  const datasetId = runs.datasetOf(parent.id, 'parentRunId');
  if (!parent.checkpoint) throw userError(`Run ${parent.id} has no checkpoint to fine-tune from`, 'parentRunId', 'Conflict');
  return runs.start(finetuneConfig({ id: parent.id, datasetId, config: parent.config }, request));
}
