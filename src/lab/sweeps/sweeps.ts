import type { FrozenRunConfig } from '../../shared/api/runs';
import type { Sweep, SweepDetail, SweepPlan, SweepPoint } from '../../shared/api/sweeps';
import { toErrorInfo, userError } from '../../shared/errors';
import type { SweepPointResult, SweepProgress } from '../../shared/jobs/sweep';
import { listActivationStats, listSweepPoints } from '../../store/analysis';
import type { Db } from '../../store/db';
import * as store from '../../store/sweeps';
import type { AnalysisService } from '../datasets/analysis';
import type { EngineHost } from '../engine/engine-host';
import type { LabEvents } from '../events';
import type { JobQueue } from '../engine/job-queue';
import { planSweep, resolveSweepSettings, toSweepInput, type ParsedSweepRequest } from './sweep-inputs';
import { requireRun, toSweep } from './sweep-views';
import { UnsavedEnds } from '../jobs/unsaved-ends';
import { datasetGoneError } from '../datasets/forgotten';
import { missingRow } from '../missing-row';

export interface SweepServiceOptions {
  db: Db;
  engine: EngineHost;
  events: LabEvents;
  queue: JobQueue;
  analysis: AnalysisService;
  /** Folder for each sweep's decoded validation images (removed by the engine when the sweep ends); absent: decode per K_test. */
  decodeDir?: string;
}

const PROGRESS_INTERVAL_MS = 250;
const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

/**
 * K_test sweeps of trained runs: resolves and stores the settings, queues the engine job, stores
 * every measured K_test as it arrives (points, activation statistics, the Fréchet reference),
 * re-emits throttled progress, cancels, and resumes with only the K_test values still missing.
 */
export class SweepService {
  #o: SweepServiceOptions;
  #jobs = new Map<number, string>();
  #waiters = new Map<number, ((sweep: Sweep) => void)[]>();
  #lastProgress = 0;
  /** Ends a full or read-only database refused: shown at once, written when it takes writes again. */
  #ends: UnsavedEnds<store.SweepEnd>;

  constructor(options: SweepServiceOptions) {
    this.#o = options;
    this.#ends = new UnsavedEnds((id, end) => store.endSweep(options.db, id, end));
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

  /** Continues an interrupted, cancelled or failed sweep with the K_test values it has not measured. */
  resume(id: number): Sweep {
    this.#ends.retry();
    const sweep = this.#sweep(id);
    if (!TERMINAL.has(sweep.status) || sweep.status === 'completed')
      throw userError(`Sweep ${id} is ${sweep.status}; only a stopped sweep can be resumed`, 'id');
    store.markSweepQueued(this.#o.db, id);
    this.#enqueue(id);
    return this.#emitUpdated(id);
  }

  /** Cancels a queued sweep at once, a running one after its current batch (measured K_test values are kept). */
  cancel(id: number): Sweep {
    const sweep = this.#sweep(id);
    const job = this.#jobs.get(id);
    if (!job) throw userError(`Sweep ${id} is not queued or running (${sweep.status})`, 'id');
    if (this.#o.queue.cancel(job) === 'dequeued') {
      this.#jobs.delete(id);
      this.#ends.save(id, { status: 'cancelled' });
    }
    return this.#emitUpdated(id);
  }

  list(runId?: number): Sweep[] {
    this.#ends.retry();
    return store.listSweeps(this.#o.db, runId).map((row) => toSweep(this.#ends.apply(row)));
  }

  get(id: number): SweepDetail {
    const sweep = this.#sweep(id);
    const points = store.listSweepPointsOf(this.#o.db, id);
    const kTests = new Set(points.map((p) => p.kTest));
    const activations = listActivationStats(this.#o.db, sweep.runId).filter((a) => kTests.has(a.kTest));
    return { ...sweep, points, activations };
  }

  /** Every stored point of a run (all sweeps, all adapters). */
  points(runId: number): SweepPoint[] {
    requireRun(this.#o.db, runId);
    return store.listRunPoints(this.#o.db, runId);
  }

  /** Settles with the sweep once it is completed, failed, cancelled or interrupted. */
  settled(id: number): Promise<Sweep> {
    const sweep = this.#sweep(id);
    if (TERMINAL.has(sweep.status) && !this.#jobs.has(id)) return Promise.resolve(sweep);
    return new Promise((resolve) => this.#waiters.set(id, [...(this.#waiters.get(id) ?? []), resolve]));
  }

  #enqueue(id: number): void {
    const sweep = this.#sweep(id);
    const label = `${sweep.adapter === 'frechet' ? 'Fréchet sweep' : 'Sweep'} of run #${sweep.runId}`;
    const job = this.#o.queue.enqueue({ kind: 'sweep', label, runId: null, execute: (signal) => this.#execute(id, signal) });
    this.#jobs.set(id, job);
  }

  async #execute(id: number, signal: AbortSignal): Promise<void> {
    const { db } = this.#o;
    const started = performance.now();
    const wallSeconds = () => (performance.now() - started) / 1000;
    try {
      const sweep = this.#sweep(id);
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
      store.markSweepRunning(db, id);
      this.#emitUpdated(id);
      const result = await this.#o.engine.run('sweep', input, { signal, onProgress: (p) => this.#onProgress(id, p) });
      this.#ends.save(id, {
        status: 'completed',
        wallSeconds: wallSeconds(),
        imgPerSec: result.imgPerSec,
        peakRssMb: result.peakRssMb,
      });
    } catch (err) {
      if (!db.open) return;
      const info = toErrorInfo(err);
      const status = info.name === 'AbortError' ? 'cancelled' : info.name === 'EngineExited' ? 'interrupted' : 'failed';
      this.#ends.save(id, { status, error: status === 'cancelled' ? null : info.message, wallSeconds: wallSeconds() });
    }
    this.#jobs.delete(id);
    if (db.open && store.getSweep(db, id)) this.#emitUpdated(id);
  }

  #onProgress(id: number, p: SweepProgress): void {
    const { db, events } = this.#o;
    if (!db.open) return;
    // Throttled before reading the database: an engine may send thousands of batch messages a second.
    const now = performance.now();
    if (p.type === 'batch' && now - this.#lastProgress < PROGRESS_INTERVAL_MS && p.done < p.total) return;
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
      const points = p.points
        .filter((q) => q.adapter === sweep.adapter || (q.adapter === 'none' && !plain.has(q.kTest)))
        .map((q) => toPoint(sweep.runId, id, q));
      const activations = { runId: sweep.runId, kTest: p.kTest, summary: p.activations.summary, frechet: p.activations.frechet };
      store.saveSweepResolution(db, id, points, activations);
      events.emit('sweep.point', { sweepId: id, runId: sweep.runId, kTest: p.kTest, points, activations });
      this.#emitUpdated(id);
    } else {
      this.#lastProgress = now;
      const { type: _type, ...rest } = p;
      events.emit('sweep.progress', { sweepId: id, runId: sweep.runId, resolutions: sweep.settings.kTests.length, ...rest });
    }
  }

  #sweepable(runId: number): { id: number; datasetId: number; checkpointDir: string; config: FrozenRunConfig } {
    const row = requireRun(this.#o.db, runId);
    if (row.checkpoint_epoch === null || !row.checkpoint_dir) throw userError(`Run ${runId} has no checkpoint yet`, 'runId');
    if (row.dataset_id === null) throw datasetGoneError(this.#o.db, 'runs', runId, 'runId');
    return {
      id: row.id,
      datasetId: row.dataset_id,
      checkpointDir: row.checkpoint_dir,
      config: row.config,
    };
  }

  #sweep(id: number): Sweep {
    const row = store.getSweep(this.#o.db, id);
    if (!row) throw missingRow(this.#o.db, 'sweep', id, 'id');
    return toSweep(this.#ends.apply(row));
  }

  #emitUpdated(id: number): Sweep {
    const sweep = this.#sweep(id);
    this.#o.events.emit('sweep.updated', sweep);
    if (TERMINAL.has(sweep.status) && !this.#jobs.has(id)) {
      for (const resolve of this.#waiters.get(id) ?? []) resolve(sweep);
      this.#waiters.delete(id);
    }
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
