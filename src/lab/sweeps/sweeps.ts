import { isActiveStatus, type FrozenRunConfig } from '../../shared/api/runs';
import type { Sweep, SweepDetail, SweepPlan, SweepPoint } from '../../shared/api/sweeps';
import { imagesKey, selectionSplit } from '../../core/per-image';
import { userError } from '../../shared/errors';
import type { DataSpec } from '../../shared/jobs/data-spec';
import type { SweepPointResult, SweepProgress } from '../../shared/jobs/sweep';
import { listActivationStats, listSweepPoints } from '../../store/analysis';
import type { Db } from '../../store/db';
import type { RunRow } from '../../store/runs';
import * as store from '../../store/sweeps';
import { listPointImages, savePointImages } from '../../store/point-images';
import { withImages, withStatistics } from './point-statistics';
import { compareRuns, type RunComparison } from './run-comparison';
import type { AnalysisService } from '../datasets';
import type { EngineHost } from '../engine';
import type { LabEvents } from '../events';
import { assertResumable, JobLifecycle, type JobContext, type JobQueue } from '../jobs';
import { planSweep, resolveSweepSettings, toSweepInput, type ParsedSweepRequest } from './sweep-inputs';
import { requireRun, toSweep } from './sweep-views';
import { datasetGoneError } from '../datasets';
import { missingRow } from '../missing-row';
import { recordOutcome } from '../outcomes';

export interface SweepServiceOptions {
  db: Db;
  engine: EngineHost;
  events: LabEvents;
  queue: JobQueue;
  analysis: AnalysisService;
  /** Folder for each sweep's decoded validation images (removed by the engine when the sweep ends); absent: decode per K_test. */
  decodeDir?: string;
}

/**
 * K_test sweeps of trained runs: resolves and stores the settings, queues the engine job, stores
 * every measured K_test as it arrives (points, activation statistics, the Fréchet reference),
 * re-emits throttled progress, cancels, and resumes with only the K_test values still missing.
 */
export class SweepService {
  #o: SweepServiceOptions;
  #life: JobLifecycle<store.SweepEnd>;
  /** Sweeps queued behind their run's training, that measure only if it completes. */
  #afterTraining = new Set<number>();
  /** Per running sweep: the key of its image list and its selection half, stored with every point's per-image results. */
  #images = new Map<number, { imagesKey: string; selection: Uint8Array }>();
  /** Per running sweep, its validation images (in the order the engine reports predictions). */
  #vals = new Map<number, DataSpec>();

  constructor(options: SweepServiceOptions) {
    this.#o = options;
    this.#life = new JobLifecycle({
      db: options.db,
      queue: options.queue,
      writeEnd: (id, end) => store.endSweep(options.db, id, end),
      exists: (id) => store.getSweep(options.db, id) !== undefined,
      emitUpdated: (id) => this.#emitUpdated(id),
    });
  }

  /** The default K_test list of a run (K_train·0.5 … ·2 and K_test*). */
  plan(runId: number, step?: number): SweepPlan {
    return planSweep(this.#o.analysis, this.#sweepable(runId), step);
  }

  start(request: ParsedSweepRequest): Sweep {
    const run = this.#sweepable(request.runId);
    const plan = this.plan(run.id, request.step);
    const settings = resolveSweepSettings(request, plan, run.config);
    const row = store.insertSweep(this.#o.db, { runId: run.id, adapter: request.adapter, settings });
    this.#enqueue(row.id);
    return this.#emitUpdated(row.id);
  }

  /**
   * Sweeps a run once its training ends: stored and queued now, right behind the run (the queue
   * runs one job at a time, in order), so clients see it at once. It measures only if the run
   * completed; otherwise it ends cancelled, saying to resume the run and then the sweep.
   */
  startAfterTraining(request: ParsedSweepRequest): Sweep {
    const row = requireRun(this.#o.db, request.runId);
    if (row.status === 'completed') return this.start(request);
    if (!isActiveStatus(row.status))
      throw userError(`Run ${row.id} is ${row.status}; resume it before sweeping it after training`, 'runId', 'Conflict');
    const run = this.#plannable(row);
    const settings = resolveSweepSettings(request, planSweep(this.#o.analysis, run, request.step), run.config);
    const sweep = store.insertSweep(this.#o.db, { runId: run.id, adapter: request.adapter, settings });
    this.#afterTraining.add(sweep.id);
    this.#enqueue(sweep.id);
    return this.#emitUpdated(sweep.id);
  }

  /** Continues an interrupted, cancelled or failed sweep with the K_test values it has not measured. */
  resume(id: number): Sweep {
    this.#life.ends.retry();
    const sweep = this.#sweep(id);
    assertResumable(`Sweep ${id}`, sweep.status);
    store.markSweepQueued(this.#o.db, id);
    this.#enqueue(id);
    return this.#emitUpdated(id);
  }

  /** Cancels a queued sweep at once, a running one after its current batch (measured K_test values are kept). */
  cancel(id: number): Sweep {
    const sweep = this.#sweep(id);
    const outcome = this.#life.cancel(id);
    if (!outcome) throw userError(`Sweep ${id} is not queued or running (${sweep.status})`, 'id', 'Conflict');
    // A dequeued sweep has ended and been announced; a running one stops after its current batch.
    return outcome === 'dequeued' ? this.#sweep(id) : this.#emitUpdated(id);
  }

  list(runId?: number): Sweep[] {
    this.#life.ends.retry();
    return store.listSweeps(this.#o.db, runId).map((row) => toSweep(this.#life.ends.apply(row)));
  }

  get(id: number): SweepDetail {
    const sweep = this.#sweep(id);
    const points = this.#withStatistics(sweep.runId, store.listSweepPointsOf(this.#o.db, id));
    const kTests = new Set(points.map((p) => p.kTest));
    const activations = listActivationStats(this.#o.db, sweep.runId).filter((a) => kTests.has(a.kTest));
    return { ...sweep, points, activations };
  }

  /** Every stored point of a run (all sweeps, all adapters), with its interval and its selection / held-out accuracies. */
  points(runId: number): SweepPoint[] {
    requireRun(this.#o.db, runId);
    return this.#withStatistics(runId, store.listRunPoints(this.#o.db, runId));
  }

  /** A fine-tuned (or any) run against its parent, K_test by K_test (compareRuns). */
  compare(firstRunId: number, secondRunId: number): RunComparison[] {
    return compareRuns(this.#o.db, firstRunId, secondRunId);
  }

  #withStatistics(runId: number, points: SweepPoint[]): SweepPoint[] {
    return withImages(points, listPointImages(this.#o.db, runId)).map(withStatistics);
  }

  /** Settles with the sweep once it is not queued or running here (completed, failed, cancelled or interrupted). */
  async settled(id: number): Promise<Sweep> {
    this.#sweep(id);
    await this.#life.settled(id);
    return this.#sweep(id);
  }

  #enqueue(id: number): void {
    const sweep = this.#sweep(id);
    const label = `${sweep.adapter === 'frechet' ? 'Fréchet sweep' : 'Sweep'} of run #${sweep.runId}`;
    this.#life.launch(id, {
      queue: { kind: 'sweep', label, runId: null },
      run: (job) => this.#measure(id, job),
      failedEnd: (failure, job) => ({ ...failure, wallSeconds: job.seconds() }),
    });
  }

  async #measure(id: number, job: JobContext): Promise<store.SweepEnd> {
    const { db } = this.#o;
    const sweep = this.#sweep(id);
    if (this.#afterTraining.has(id)) {
      const trained = requireRun(db, sweep.runId);
      if (trained.status !== 'completed') {
        const error = `Run #${trained.id} was ${trained.status} before it could be swept: resume it, then this sweep`;
        return { status: 'cancelled', error, wallSeconds: 0 };
      }
      this.#afterTraining.delete(id);
    }
    const run = this.#sweepable(sweep.runId);
    const measured = new Set(
      store
        .listSweepPointsOf(db, id)
        .filter((p) => p.adapter === sweep.adapter)
        .map((p) => p.kTest),
    );
    const input = toSweepInput({
      db,
      datasetId: run.datasetId,
      checkpointDir: run.checkpointDir,
      config: run.config,
      settings: sweep.settings,
      adapter: sweep.adapter,
      kTests: sweep.settings.kTests.filter((k) => !measured.has(k)),
      storedReference: sweep.reference,
      decodeDir: this.#o.decodeDir ?? null,
    });
    this.#vals.set(id, input.val);
    this.#images.set(id, {
      imagesKey: imagesKey(input.val.items.map((i) => i.relPath)),
      selection: selectionSplit(input.val.items),
    });
    try {
      store.markSweepRunning(db, id);
      this.#emitUpdated(id);
      const result = await this.#o.engine.run('sweep', input, { signal: job.signal, onProgress: (p) => this.#onProgress(id, p) });
      return { status: 'completed', wallSeconds: job.seconds(), imgPerSec: result.imgPerSec, peakRssMb: result.peakRssMb };
    } finally {
      this.#images.delete(id);
      this.#vals.delete(id);
    }
  }

  #onProgress(id: number, p: SweepProgress): void {
    const { db, events } = this.#o;
    if (!db.open) return;
    // Throttled before reading the database: an engine may send thousands of batch messages a second.
    if (p.type === 'batch' && !this.#life.progress.due(id, p.done >= p.total)) return;
    const sweep = this.#sweep(id);
    if (p.type === 'start') {
      store.setSweepBackend(db, id, p.backend);
      this.#emitUpdated(id);
    } else if (p.type === 'reference') {
      const { source, images, summary, frechet, kTest } = p.reference;
      if (frechet && source !== 'given') store.setSweepReference(db, id, { source, images, summary, frechet, kTrain: kTest });
    } else if (p.type === 'point') {
      // A Fréchet pass measures the plain series too; those points are kept only where the run has none yet.
      const plain = new Set(listSweepPoints(db, sweep.runId, 'none').map((q) => q.kTest));
      const kept = p.points.filter((q) => q.adapter === sweep.adapter || (q.adapter === 'none' && !plain.has(q.kTest)));
      const points = kept.map((q) => toPoint(sweep.runId, id, q));
      const activations = {
        runId: sweep.runId,
        kTest: p.kTest,
        summary: p.activations.summary,
        frechet: p.activations.frechet,
        adaptNote: p.activations.adaptNote ?? null,
      };
      const images = this.#images.get(id);
      const perImage = images
        ? kept.map((q) => ({ runId: sweep.runId, kTest: q.kTest, adapter: q.adapter, correct: q.correct, ...images }))
        : [];
      db.transaction(() => {
        store.saveSweepResolution(db, id, points, activations);
        for (const row of perImage) savePointImages(db, row);
      })();
      const val = this.#vals.get(id);
      if (val)
        for (const q of kept)
          recordOutcome(db, events, {
            runId: sweep.runId,
            kTest: q.kTest,
            adapter: q.adapter,
            source: 'sweep',
            classNames: val.classNames,
            items: val.items,
            outcome: q.outcome,
          });
      const shown = withImages(points, perImage).map(withStatistics);
      events.emit('sweep.point', { sweepId: id, runId: sweep.runId, kTest: p.kTest, points: shown, activations });
      this.#emitUpdated(id);
    } else {
      const { type: _type, ...rest } = p;
      events.emit('sweep.progress', { sweepId: id, runId: sweep.runId, resolutions: sweep.settings.kTests.length, ...rest });
    }
  }

  #sweepable(runId: number): { id: number; datasetId: number; checkpointDir: string; config: FrozenRunConfig } {
    const row = requireRun(this.#o.db, runId);
    if (row.checkpoint_epoch === null || !row.checkpoint_dir)
      throw userError(`Run ${runId} has no checkpoint yet`, 'runId', 'Conflict');
    return { ...this.#plannable(row), checkpointDir: row.checkpoint_dir };
  }

  /** What planning a sweep of a run needs: its dataset and config (a checkpoint may still be on its way). */
  #plannable(row: RunRow): { id: number; datasetId: number; config: FrozenRunConfig } {
    if (row.dataset_id === null) throw datasetGoneError(this.#o.db, 'runs', row.id, 'runId');
    return { id: row.id, datasetId: row.dataset_id, config: row.config };
  }

  #sweep(id: number): Sweep {
    const row = store.getSweep(this.#o.db, id);
    if (!row) throw missingRow(this.#o.db, 'sweep', id, 'id');
    return toSweep(this.#life.ends.apply(row));
  }

  #emitUpdated(id: number): Sweep {
    const sweep = this.#sweep(id);
    this.#o.events.emit('sweep.updated', sweep);
    return sweep;
  }
}

function toPoint(runId: number, sweepId: number, q: SweepPointResult): SweepPoint {
  return {
    runId,
    sweepId,
    kTest: q.kTest,
    adapter: q.adapter,
    top1: q.top1,
    top5: q.top5,
    loss: q.loss,
    n: q.n,
    seconds: q.seconds,
    imgPerSec: q.imgPerSec,
  };
}
