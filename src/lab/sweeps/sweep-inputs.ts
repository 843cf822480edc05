import { kTestStarMultiple, sweepPlan } from '../../core/sweep-plan';
import { ApparentSizeRequest } from '../../shared/api/analysis';
import { RUN_LIMITS, type FrozenRunConfig } from '../../shared/api/runs';
import { type SweepPlan, type SweepReference, type SweepSettings, SweepRequest } from '../../shared/api/sweeps';
import { userError } from '../../shared/errors';
import type { DataSpec } from '../../shared/jobs/data-spec';
import type { ReferenceSpec, SweepInput } from '../../shared/jobs/sweep';
import type { Db } from '../../store/db';
import { imageSizes } from '../../store/images';
import { type AnalysisService, buildDataSpec } from '../datasets';
import { runDataSpecs, trainTransform } from '../runs';

export type ParsedSweepRequest = ReturnType<typeof SweepRequest.parse>;

/** Pooled features of one pass may stay in memory up to this size for the adaptation. */
const FEATURE_BUDGET_MB = 512;
/**
 * A sweep's decoded validation images go to disk only: a copy in a sample worker's memory dies with
 * its source (one per K_test), while the OS keeps recent spill files cached. Kept in memory too
 * (256 MB), the bench's sweep used +300 MB RSS and more CPU (docs/BENCHMARKS.md). Above the disk
 * budget the images are decoded per K_test.
 */
const DECODE_MEMORY_MB = 0;
const DECODE_DISK_MB = 4096;

/** The default K_test list of a run: its K_train·0.5 … ·2 grid plus the Monte Carlo K_test* over its dataset's train images. */
export function planSweep(
  analysis: AnalysisService,
  run: { id: number; datasetId: number; config: FrozenRunConfig },
  step?: number,
): SweepPlan {
  const { kTrain } = run.config;
  let kTestStar: number | null = null;
  let note: string | null = null;
  const stepUsed = step ?? sweepPlan({ kTrain }).step;
  try {
    const analysed = analysis.apparentSize(
      ApparentSizeRequest.parse({
        kTrain,
        cropPct: run.config.cropPct,
        scale: run.config.scale,
        ratio: run.config.ratio,
        source: { kind: 'dataset', datasetId: run.datasetId, split: 'train' },
        multiple: kTestStarMultiple(stepUsed),
      }),
    );
    kTestStar = analysed.recommendedKTest;
  } catch (err) {
    note = `K_test* left out: ${(err as Error).message}`;
  }
  const { kTests } = sweepPlan({ kTrain, kTestStar, step: stepUsed, maxK: RUN_LIMITS.maxK });
  return { runId: run.id, kTrain, kTests, step: stepUsed, kTestStar, note };
}

/** Every default of a sweep request, resolved once and stored with the sweep. */
export function resolveSweepSettings(request: ParsedSweepRequest, plan: SweepPlan, config: FrozenRunConfig): SweepSettings {
  const kTests = request.kTests ? [...new Set(request.kTests)].sort((a, b) => a - b) : plan.kTests;
  return {
    kTests,
    kTrain: config.kTrain,
    kTestStar: plan.kTestStar,
    cropPct: config.cropPct,
    reference: request.reference,
    referenceImages: request.referenceImages,
    reservoir: request.reservoir,
    xi: request.xi,
    freeXi: request.freeXi,
    batchSize: request.batchSize ?? config.evalBatchSize,
  };
}

export interface SweepJobContext {
  db: Db;
  datasetId: number;
  checkpointDir: string;
  config: FrozenRunConfig;
  settings: SweepSettings;
  adapter: 'none' | 'frechet';
  /** K_test values still to measure. */
  kTests: number[];
  /** A reference fit stored by an earlier session of this sweep. */
  storedReference: SweepReference | null;
  /** Where the engine may keep the sweep's decoded images (null: decode them once per K_test). */
  decodeDir: string | null;
}

/** The engine's sweep job for a run's checkpoint on its validation images. */
export function toSweepInput(c: SweepJobContext): SweepInput {
  // The sweep decides how its images are kept (decodeOnce), not the run's training cache.
  const { val } = runDataSpecs(c.db, c.datasetId, { ...c.config, kTest: c.config.kTrain, decodeCache: false });
  if (!val) throw userError('This run has no validation images to sweep on', 'runId');
  return {
    model: { kind: 'checkpoint', dir: c.checkpointDir },
    val,
    kTests: c.kTests,
    batchSize: c.settings.batchSize,
    activations: { reservoir: c.settings.reservoir, seed: 0, xi: c.settings.xi, freeXi: c.settings.freeXi },
    adapt: c.adapter === 'frechet' ? { reference: referenceSpec(c, val) } : null,
    featureBudgetMb: FEATURE_BUDGET_MB,
    decodeOnce:
      c.decodeDir === null
        ? null
        : {
            dir: c.decodeDir,
            memoryMb: DECODE_MEMORY_MB,
            diskMb: DECODE_DISK_MB,
            estimatedBytes: decodedBytes(c.db, c.datasetId),
          },
  };
}

/** Σ width·height·3 over the usable validation images: their decoded size, as the scan measured them. */
function decodedBytes(db: Db, datasetId: number): number {
  return imageSizes(db, datasetId, 'val').reduce((sum, s) => sum + s.width * s.height * 3 * s.count, 0);
}

/**
 * The Fréchet reference. `train-augment` (default) follows the paper's logic: the classifier was
 * fitted to the pooled features of training images under the run's own training transform at
 * K_train, so that is the distribution test-resolution features are mapped back onto.
 * `val-at-k-train` uses validation images with the test transform at K_train instead.
 */
function referenceSpec(c: SweepJobContext, val: DataSpec): ReferenceSpec {
  if (c.storedReference) return { kind: 'fit', fit: c.storedReference.frechet };
  if (c.settings.reference === 'val-at-k-train') return { kind: 'features', data: val, source: 'val-at-k-train' };
  const train = buildDataSpec(c.db, c.datasetId, {
    split: 'train',
    transform: trainTransform(c.config),
    seed: c.config.seed,
    normalize: c.config.normalizeValues,
    shuffle: false,
  });
  return {
    kind: 'features',
    data: { ...train, items: evenlySpaced(train.items, c.settings.referenceImages) },
    source: 'train-augment',
  };
}

/** At most `limit` items, evenly spaced through the list (so every class is represented). */
export function evenlySpaced<T>(items: readonly T[], limit: number): T[] {
  if (items.length <= limit) return [...items];
  return Array.from({ length: limit }, (_, i) => items[Math.floor((i * items.length) / limit)]!);
}
