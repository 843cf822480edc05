import { medianShortSide as medianShortSideOf } from '../../core/dataset-stats';
import {
  chooseKTrain,
  costFromProbes,
  estimateWorkflowSteps,
  fitTrainCost,
  kTrainCandidates,
  type PlanCost,
  type SpeedSample,
} from '../../core/k-train-choice';
import type { z } from 'zod';
import type { KTrainSuggestion, SuggestRequest } from '../../shared/api/workflows';
import { finetuneEpochs } from '../../core/finetune-recipe';
import { MIN_TRAIN_EPOCHS, trainEpochs } from '../../core/train-plan';
import { MODELS, type ArchName } from '../../shared/models/registry';
import { userError } from '../../shared/errors';
import type { SpeedProbeInput, SpeedProbeResult } from '../../shared/jobs/sweep';
import { FinetuneHParams } from '../../shared/hparams/finetune';
import { HEAD_ONLY_MODES, type TrainableMode } from '../../shared/models/trainable';
import type { Db } from '../../store/db';
import { imageSizes, usableImages } from '../../store/images';
import { listRuns } from '../../store/runs';
import { buildDataSpec } from '../datasets';
import type { EngineHost } from '../engine';
import type { JobQueue } from '../jobs';
import { evalBatchSizeFor, testTransform, trainTransform } from '../runs';
import { evenlySpaced } from '../sweeps';
import { SweepHParams } from '../../shared/hparams/sweep';

/** A suggestion request with what the workflow knows besides: its Fréchet series and its fine-tunes' mode. */
export type ParsedSuggestRequest = z.output<typeof SuggestRequest> & { adapt?: boolean; finetuneMode?: TrainableMode };

export interface SuggestDeps {
  db: Db;
  engine: EngineHost;
  queue: JobQueue;
}

/** Training steps each speed probe times (after one warm-up step; twice: from the pipeline, then from memory). */
const PROBE_STEPS = 3;
/**
 * The steps from memory are timed for at least this long (in each of PROBE_ROUNDS rounds): three
 * steps of a small K took ~0.5 s, and on a loaded machine two such probes measured K 28 faster
 * than K 16 (bench:plan).
 */
const PROBE_MIN_SECONDS = 1;
/** Rounds of probes over the sizes probed. */
const PROBE_ROUNDS = 2;

/** Fine-tune candidates reach 1.4× the untuned best: K_train is kept that far below the images' own test crop. */
const HEADROOM = 1.4;

/**
 * The smallest K_train worth suggesting: the last feature map at least 4×4 (resnet-mini, stride 4:
 * 16 px; torchvision ResNets, stride 32: 128 px); images too small for it get their largest K only.
 * Below it a small budget bought a model that barely learned (the sample set at K_train 8: 25 %).
 */
export function smallestUsefulK(arch: ArchName): number {
  const entry = MODELS[arch];
  const stride = (entry.stem === 'imagenet' ? 4 : 1) * 2 ** (entry.stageChannels.length - 1);
  return 4 * stride;
}

/**
 * Suggests K_train (and, unless given, the epochs) for a dataset and a time budget. The largest
 * size considered is crop_pct × the median short side of the training images (the largest test
 * crop without upsampling) divided by 1.4, so that testing and fine-tuning up to 1.4× K_train
 * stays at or below the images' own resolution. The epochs aim for ~2 500 steps, fewer (down to
 * 10) when even the smallest K_train would not fit the budget otherwise. The cost
 * t(K) = a + b·K² seconds per training image comes from finished runs of the same architecture
 * and width on this dataset, or else from two rounds of short probes (real training steps on real
 * batches); the probes' last round also times a sweep's pass over validation images and a
 * fine-tune's step, which the runs cannot tell. The whole workflow (training, sweeps, reference,
 * fine-tune) is estimated per candidate and the largest K_train that fits the budget wins.
 */
export async function suggestKTrain(
  deps: SuggestDeps,
  request: ParsedSuggestRequest,
  signal?: AbortSignal,
): Promise<KTrainSuggestion> {
  const started = performance.now();
  const { db } = deps;
  const sizes = imageSizes(db, request.datasetId, 'train');
  if (!sizes.length)
    throw userError('The dataset has no training images with recorded sizes (is its scan finished?)', 'datasetId');
  const medianShortSide = medianShortSideOf(sizes)!;
  const maxK = Math.max(1, Math.floor((request.cropPct * medianShortSide) / HEADROOM));
  const all = kTrainCandidates(maxK);
  const useful = all.filter((k) => k >= smallestUsefulK(request.arch));
  const candidates = useful.length ? useful : all.slice(-1);
  const history = historySamples(db, request);
  // Finished runs tell t(K) as training really ran, but not what sweeps and fine-tunes pay: one
  // round of probes still times those (and the decoding and job set-up).
  const probes = await probeAll(deps, request, candidates, history.length ? 1 : PROBE_ROUNDS, signal);
  const samples = history.length ? history : probes.map((p) => ({ k: p.k, imgPerSec: p.imgPerSec, runId: null }));
  const measured = costFromProbes(probes);
  const cost: PlanCost = history.length ? { ...measured, ...fitTrainCost(history) } : measured;
  const trainImages = usableImages(db, request.datasetId, 'train').length;
  const valImages = usableImages(db, request.datasetId, 'val').length;
  const budgetSeconds = request.budgetMinutes * 60;
  const planSeconds = (performance.now() - started) / 1000;
  const workload = (epochs: number) => ({
    trainImages,
    valImages,
    epochs,
    finetuneEpochs: request.finetuneEpochs ?? finetuneEpochs(trainImages, request.batchSize),
    finetuneCandidates: request.finetuneCandidates,
    finetuneHeadOnly: HEAD_ONLY_MODES.has(finetuneModeOf(request)),
    referenceImages: Math.min(2000, trainImages),
    sweeps: request.adapt === false ? 1 : 2,
    payoff: request.payoff,
    planSeconds,
  });
  let epochs = request.epochs ?? trainEpochs(trainImages, request.batchSize);
  let choice = chooseKTrain({ candidates, cost, budgetSeconds, workload: workload(epochs) });
  // Epochs the workflow picked give way to a budget too small for them, down to MIN_TRAIN_EPOCHS.
  while (!choice.fits && request.epochs === undefined && epochs > MIN_TRAIN_EPOCHS) {
    epochs = Math.max(MIN_TRAIN_EPOCHS, Math.floor(epochs * 0.8));
    choice = chooseKTrain({ candidates, cost, budgetSeconds, workload: workload(epochs) });
  }
  return {
    ...choice,
    epochs,
    maxK,
    medianShortSide,
    budgetSeconds,
    steps: estimateWorkflowSteps(choice.kTrain, cost, workload(epochs)),
    planSeconds,
    cost: { ...cost, source: history.length ? 'history' : 'probe', samples },
  };
}

/** Finished training runs of the same model on the same dataset: their K_train and training img/s. */
function historySamples(db: Db, request: ParsedSuggestRequest): (SpeedSample & { runId: number | null })[] {
  return listRuns(db)
    .filter((r) => r.kind === 'train' && r.status === 'completed' && r.dataset_id === request.datasetId && r.img_per_sec)
    .map((r) => ({ row: r, config: r.config }))
    .filter(({ config }) => config.arch === request.arch && config.width === request.width)
    .map(({ row, config }) => ({ k: config.kTrain, imgPerSec: row.img_per_sec!, runId: row.id }));
}

/**
 * Probes the smallest candidate and the largest up to 4× it, `rounds` times, alternating (small,
 * large, small, large): the first probe of an engine runs cold, and bench:plan saw one K 28 probe at a
 * third of its speed in a load spike. src/core/k-train-choice.ts costFromProbes keeps each K's fastest.
 */
async function probeAll(
  deps: SuggestDeps,
  request: ParsedSuggestRequest,
  candidates: number[],
  rounds: number,
  signal?: AbortSignal,
): Promise<SpeedProbeResult[]> {
  const small = candidates[0]!;
  const large = candidates.filter((k) => k <= 4 * small).at(-1)!;
  const results: SpeedProbeResult[] = [];
  const sizes = [...new Set([small, large])];
  for (let round = 0; round < rounds; round++) {
    // The last round, on a warm engine, also times a sweep's pass and a fine-tune's step.
    const last = round === rounds - 1;
    for (const k of sizes)
      results.push(await probe(deps, request, { k, alsoTime: last ? alsoTime(deps, request, k) : undefined }, signal));
  }
  return results;
}

/** Validation images a probe's sweep pass takes: a few batches for a steady rate, a second or so to decode. */
const PROBE_VAL_IMAGES = 384;

/** What the last probes time besides training: a sweep's pass over validation images at K, a fine-tune's step. */
function alsoTime(deps: SuggestDeps, request: ParsedSuggestRequest, k: number): SpeedProbeInput['alsoTime'] {
  const val = buildDataSpec(deps.db, request.datasetId, {
    split: 'val',
    transform: testTransform({ cropPct: request.cropPct, interpolation: 'bilinear' }, k),
    seed: 0,
  });
  if (!val.items.length) return undefined;
  const sweep = SweepHParams.parse({});
  return {
    finetuneMode: finetuneModeOf(request),
    val: { ...val, items: evenlySpaced(val.items, PROBE_VAL_IMAGES) },
    batchSize: evalBatchSizeFor(request.batchSize),
    activations: { reservoir: sweep.reservoir, seed: 0, xi: sweep.xi, freeXi: sweep.freeXi },
  };
}

/** The workflow's fine-tune mode (the official recipe's when the request does not say). */
const finetuneModeOf = (request: ParsedSuggestRequest): TrainableMode => FinetuneHParams.shape.mode.parse(request.finetuneMode);

function probe(
  deps: SuggestDeps,
  request: ParsedSuggestRequest,
  { k, alsoTime }: Pick<SpeedProbeInput, 'alsoTime'> & { k: number },
  signal?: AbortSignal,
): Promise<SpeedProbeResult> {
  const transform = trainTransform({
    augment: 'rrc',
    kTrain: k,
    scale: [0.08, 1],
    ratio: [3 / 4, 4 / 3],
    hflip: true,
    jitter: 0,
    cropPct: request.cropPct,
    interpolation: 'bilinear',
  });
  const train = buildDataSpec(deps.db, request.datasetId, { split: 'train', transform, seed: 0 });
  const batchSize = Math.max(1, Math.min(request.batchSize, Math.floor(train.items.length / (PROBE_STEPS + 1))));
  const input: SpeedProbeInput = {
    model: { arch: request.arch, width: request.width },
    train,
    batchSize,
    steps: PROBE_STEPS,
    minSeconds: PROBE_MIN_SECONDS,
    ...(alsoTime ? { alsoTime } : {}),
  };
  return new Promise((resolve, reject) => {
    const job = deps.queue.enqueue({
      kind: 'speed-probe',
      label: `Speed probe at K=${k}`,
      runId: null,
      execute: (jobSignal) => deps.engine.run('speed-probe', input, { signal: jobSignal }).then(resolve, reject),
    });
    signal?.addEventListener(
      'abort',
      () => {
        if (deps.queue.cancel(job) === 'dequeued') reject(cancelled());
      },
      { once: true },
    );
  });
}

function cancelled(): Error {
  const err = new Error('Cancelled');
  err.name = 'AbortError';
  return err;
}
