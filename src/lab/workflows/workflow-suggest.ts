import { chooseKTrain, fitTrainCost, kTrainCandidates, type SpeedSample } from '../../core/k-train-choice';
import type { KTrainSuggestion, SuggestRequest } from '../../shared/api/workflows';
import { userError } from '../../shared/errors';
import type { SpeedProbeResult } from '../../shared/jobs/sweep';
import type { Db } from '../../store/db';
import { imageSizes, usableImages } from '../../store/images';
import { listRuns } from '../../store/runs';
import { buildDataSpec } from '../datasets';
import type { EngineHost } from '../engine';
import type { JobQueue } from '../jobs';
import { trainTransform } from '../runs';

export type ParsedSuggestRequest = Required<Omit<SuggestRequest, 'budgetMinutes'>> & { budgetMinutes: number };

export interface SuggestDeps {
  db: Db;
  engine: EngineHost;
  queue: JobQueue;
}

/** Training steps each speed probe times (after one warm-up step). */
const PROBE_STEPS = 2;

/**
 * Suggests K_train for a dataset and a time budget. The largest size considered is crop_pct × the
 * median short side of the training images (the largest test crop without upsampling), so that
 * testing at K_test* ≈ 1.25·K_train is possible at or near the images' own resolution. The cost
 * t(K) = a + b·K² seconds per training image comes from finished runs of the same architecture
 * and width on this dataset, or else from two short probes (real training steps on real batches).
 * The whole workflow (training, sweeps, reference, fine-tune) is estimated per candidate and the
 * largest K_train that fits the budget wins.
 */
export async function suggestKTrain(
  deps: SuggestDeps,
  request: ParsedSuggestRequest,
  signal?: AbortSignal,
): Promise<KTrainSuggestion> {
  const { db } = deps;
  const sizes = imageSizes(db, request.datasetId, 'train');
  if (!sizes.length)
    throw userError('The dataset has no training images with recorded sizes (is its scan finished?)', 'datasetId');
  const medianShortSide = weightedMedian(sizes.map((s) => ({ value: Math.min(s.width, s.height), count: s.count })));
  const maxK = Math.max(1, Math.floor(request.cropPct * medianShortSide));
  const candidates = kTrainCandidates(maxK);
  const history = historySamples(db, request);
  const samples = history.length ? history : await probeSamples(deps, request, candidates, signal);
  const cost = fitTrainCost(samples);
  const trainImages = usableImages(db, request.datasetId, 'train').length;
  const valImages = usableImages(db, request.datasetId, 'val').length;
  const budgetSeconds = request.budgetMinutes * 60;
  const choice = chooseKTrain({
    candidates,
    cost,
    budgetSeconds,
    workload: {
      trainImages,
      valImages,
      epochs: request.epochs,
      finetuneEpochs: request.finetuneEpochs,
      referenceImages: Math.min(2000, trainImages),
      sweeps: 3,
    },
  });
  return {
    ...choice,
    maxK,
    medianShortSide,
    budgetSeconds,
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

async function probeSamples(
  deps: SuggestDeps,
  request: ParsedSuggestRequest,
  candidates: number[],
  signal?: AbortSignal,
): Promise<(SpeedSample & { runId: null })[]> {
  const small = candidates[0]!;
  const large = candidates.filter((k) => k <= 4 * small).at(-1)!;
  const samples: (SpeedSample & { runId: null })[] = [];
  for (const k of [...new Set([small, large])]) {
    const result = await probe(deps, request, k, signal);
    samples.push({ k, imgPerSec: result.imgPerSec, runId: null });
  }
  return samples;
}

function probe(deps: SuggestDeps, request: ParsedSuggestRequest, k: number, signal?: AbortSignal): Promise<SpeedProbeResult> {
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
  const input = { model: { arch: request.arch, width: request.width }, train, batchSize, steps: PROBE_STEPS };
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

function weightedMedian(values: { value: number; count: number }[]): number {
  const sorted = [...values].sort((a, b) => a.value - b.value);
  const half = sorted.reduce((s, v) => s + v.count, 0) / 2;
  let seen = 0;
  for (const v of sorted) if ((seen += v.count) >= half) return v.value;
  return sorted.at(-1)!.value;
}

function cancelled(): Error {
  const err = new Error('Cancelled');
  err.name = 'AbortError';
  return err;
}
