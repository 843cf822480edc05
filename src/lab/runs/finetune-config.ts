import {
  finetuneEpochs,
  finetuneMilestones,
  OFFICIAL_MOMENTUM,
  OFFICIAL_STEP_GAMMA,
  OFFICIAL_WEIGHT_DECAY,
  officialFinetuneLr,
} from '../../core/finetune-recipe';
import type { ParsedFinetuneRequest } from '../../shared/api/finetune';
import { RunConfig, type FrozenRunConfig, type Run } from '../../shared/api/runs';
import { userError } from '../../shared/errors';
import type { RunService } from './runs';

/** Colour-jitter strength of DA2: the official transforms_v2 uses ColorJitter(0.05, 0.05, 0.05). */
const DA2_JITTER = 0.05;

/**
 * The RunConfig of a FixRes fine-tune: everything about the model and its pre-processing comes
 * from the parent (architecture, crop_pct, interpolation, normalisation, dataset); the child
 * trains at K_test with the official optimiser (SGD momentum 0.9, weight decay 1e-4 on every
 * trained parameter, lr 8·1e-3·batch/512, ×0.1 after 30/56 of the epochs) and no warm-up.
 */
export function finetuneConfig(
  parent: { id: number; datasetId: number; config: FrozenRunConfig },
  request: ParsedFinetuneRequest,
): RunConfig {
  const p = parent.config;
  const batchSize = request.batchSize ?? p.batchSize;
  const epochs = request.epochs ?? finetuneEpochs(p.trainImages, batchSize);
  const milestones = finetuneMilestones(epochs);
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
    epochs,
    batchSize,
    lr: request.lr ?? officialFinetuneLr(batchSize),
    momentum: OFFICIAL_MOMENTUM,
    nesterov: false,
    weightDecay: OFFICIAL_WEIGHT_DECAY,
    decayAllParams: true,
    labelSmoothing: 0,
    ...(milestones.length ? { schedule: 'step', milestones, gamma: OFFICIAL_STEP_GAMMA } : { schedule: 'constant' }),
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
