import { rm } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import type { Run, RunConfig, RunDetail } from '../../shared/api/runs';
import type { BackendName } from '../../shared/backends';
import type { EpochSummary, TrainProgress } from '../../shared/jobs/train';
import type { EvaluateResult } from '../../shared/jobs/eval';
import { recordOutcome } from '../outcomes';
import { errorCodeOf, toErrorInfo, userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import { getDataset } from '../../store/datasets';
import * as store from '../../store/runs';
import type { EngineHost } from '../engine';
import type { LabEvents } from '../events';
import { assertResumable, JobLifecycle, type JobContext, type JobQueue } from '../jobs';
import { toTrainInput } from './run-config';
import { runOutOfMemory } from './memory-preflight';
import { runDataSpecs } from './run-data';
import { toRun, toRunDetail } from './run-view';
import { datasetGoneError } from '../datasets';
import { missingRow } from '../missing-row';
import { claimRunFolder } from './run-folders';
import { databaseId } from '../../store/lasting-ids';
import { setRunModel } from '../../store/models';
import { assertModelCheckpoint } from './import-run';
import { planRun, type PlannedRun } from './planned-run';

export interface RunServiceOptions {
  db: Db;
  /** The compute engine process. */
  engine: EngineHost;
  events: LabEvents;
  queue: JobQueue;
  /** Checkpoints live in <runsRoot>/<id>/ (see claimRunFolder). */
  runsRoot: string;
  /** A running run may spill decoded training images to <decodeDir>/<id>/ (removed when it stops). */
  decodeDir?: string;
  /** The compute backend runs will get, when known (for the memory check before a run is stored). */
  backendInUse?(): string | null;
}

/**
 * Training runs: resolves and freezes a config, stores the run, queues it on the compute engine,
 * writes one transaction per epoch, re-emits throttled progress, cancels and resumes.
 */
export class RunService {
  #o: RunServiceOptions;
  #life: JobLifecycle<store.SessionEnd>;

  constructor(options: RunServiceOptions) {
    this.#o = options;
    this.#life = new JobLifecycle({
      db: options.db,
      queue: options.queue,
      writeEnd: (id, end) => store.endSession(options.db, id, end),
      exists: (id) => store.getRun(options.db, id) !== undefined,
      emitUpdated: (id) => this.#emitUpdated(id),
    });
  }

  start(cfg: RunConfig): Run {
    const { db } = this.#o;
    const planned = this.plan(cfg);
    const row = store.insertRun(db, {
      ...planned,
      checkpointDir: (id) => claimRunFolder(this.#o.runsRoot, id, databaseId(db)),
    });
    if (planned.modelId !== null) setRunModel(db, row.id, planned.modelId);
    this.#enqueue(row.id, false);
    return this.#emitUpdated(row.id);
  }

  /** What start() would store for `cfg` (checked, defaults resolved, frozen), without storing or starting it. */
  plan(cfg: RunConfig): PlannedRun {
    return planRun(this.#o.db, cfg, () => this.#o.backendInUse?.() ?? null);
  }

  /**
   * Continues a stopped run from its checkpoint. `backend` retries it on another rung (its own could
   * not load here): the run's config then names that rung, so later resumes use it too.
   */
  resume(id: number, { backend }: { backend?: BackendName } = {}): Run {
    this.#life.ends.retry();
    const row = this.#row(id);
    assertResumable(`Run ${id}`, row.status);
    if (backend) store.setConfigBackend(this.#o.db, id, backend);
    store.markQueued(this.#o.db, id);
    this.#enqueue(id, true);
    return this.#emitUpdated(id);
  }

  /** Cancels a queued run at once, a running one at its next batch (a checkpoint is kept). */
  cancel(id: number): Run {
    const row = this.#row(id);
    const outcome = this.#life.cancel(id);
    if (!outcome) throw userError(`Run ${id} is not queued or running (${row.status})`, 'id', 'Conflict');
    // A dequeued run has ended and been announced; a running one stops at its next batch.
    return outcome === 'dequeued' ? toRun(this.#row(id)) : this.#emitUpdated(id);
  }

  /** Whether the run is queued or running in this lab. */
  isActive(id: number): boolean {
    return this.#life.isActive(id);
  }

  /** Settles with the run once it is not queued or running here (at once if it is not). */
  async settled(id: number): Promise<Run> {
    this.#row(id);
    await this.#life.settled(id);
    return toRun(this.#row(id));
  }

  list(): Run[] {
    this.#life.ends.retry();
    return store.listRuns(this.#o.db).map((row) => toRun(this.#life.ends.apply(row)));
  }

  get(id: number): RunDetail {
    return toRunDetail(this.#row(id), store.listEpochs(this.#o.db, id));
  }

  /** Deletes a finished run with its epochs and checkpoints. */
  async delete(id: number): Promise<{ deleted: boolean }> {
    const row = store.getRun(this.#o.db, id);
    if (!row) return { deleted: false };
    if (this.#life.isActive(id)) throw userError(`Run ${id} is ${row.status}; cancel it first`, 'id', 'Busy');
    const dir = row.checkpoint_dir;
    const deleted = store.deleteRun(this.#o.db, id);
    if (dir && isInside(this.#o.runsRoot, dir)) await rm(dir, { recursive: true, force: true });
    return { deleted };
  }

  /** Evaluates a run's latest checkpoint on its validation images at `kTest`, through the queue. */
  evaluate(id: number, options: { kTest: number; returnFeatures?: boolean }): Promise<EvaluateResult> {
    const row = this.#row(id);
    if (row.checkpoint_epoch === null || !row.checkpoint_dir)
      throw userError(`Run ${id} has no checkpoint yet`, 'id', 'Conflict');
    const cfg = toRun(row).config;
    // One pass reads each image once: nothing to gain from keeping copies.
    const { val } = runDataSpecs(this.#o.db, this.datasetOf(row.id), { ...cfg, kTest: options.kTest, decodeCache: false });
    if (!val) throw userError(`Run ${id} has no validation images to evaluate on`, 'id');
    const dir = row.checkpoint_dir;
    return new Promise((resolve, reject) => {
      this.#o.queue.enqueue({
        kind: 'evaluate',
        label: `Evaluate run #${id} at K=${options.kTest}`,
        runId: null,
        execute: (signal) =>
          this.#o.engine
            .run(
              'evaluate',
              {
                model: { kind: 'checkpoint', dir },
                data: val,
                batchSize: cfg.evalBatchSize,
                returnFeatures: options.returnFeatures,
              },
              { signal },
            )
            .then(resolve, reject),
      });
    });
  }

  #enqueue(id: number, resume: boolean): void {
    this.#life.launch(id, {
      queue: { kind: 'train', label: this.#row(id).name, runId: id },
      run: (job) => this.#train(id, resume, job),
      failedEnd: (failure, job) => ({ ...failure, wallSeconds: job.seconds() }),
    });
  }

  async #train(id: number, resume: boolean, job: JobContext): Promise<store.SessionEnd> {
    const { db } = this.#o;
    const spill = this.#o.decodeDir && join(this.#o.decodeDir, String(id));
    try {
      const row = this.#row(id);
      const cfg = toRun(row).config;
      const specs = runDataSpecs(db, this.datasetOf(row.id), cfg, { spillDir: spill });
      // The frozen config keeps the parent's id after its row is deleted (the column is then cleared).
      const parentId = cfg.parentRunId ?? row.parent_id;
      const parentDir = parentId ? (store.getRun(db, parentId)?.checkpoint_dir ?? null) : null;
      if (parentId && !parentDir)
        throw userError(`The parent run #${parentId} of this fine-tune was deleted`, undefined, 'NotFound');
      if (cfg.initModel) assertModelCheckpoint(cfg.initModel);
      const input = toTrainInput(cfg, { specs, checkpointDir: row.checkpoint_dir!, parentCheckpointDir: parentDir, resume });
      store.markRunning(db, id);
      this.#emitUpdated(id);
      if (cfg.initModel && cfg.initModel.head.kind !== 'new') {
        // The model's own classifier fits: the run takes its weights as they are (no training).
        const { head, dir } = cfg.initModel;
        await this.#o.engine.run('adopt-model', { fromDir: dir, toDir: row.checkpoint_dir!, head }, { signal: job.signal });
        store.setCheckpoint(db, id, 0, 0);
        return { status: 'completed', wallSeconds: job.seconds() };
      }
      const onProgress = (p: TrainProgress) => this.#onProgress(id, p, cfg.epochs);
      const result = await this.#o.engine
        .run('train', input, { signal: job.signal, onProgress })
        .catch((err: unknown) => Promise.reject(this.#inRunTerms(id, err, cfg, specs.train.classNames.length)));
      if (result.status === 'completed' && result.finalVal && specs.val && store.getRun(db, id))
        // The last epoch's validation is the run's own point (at its K_test, as is): where the model is wrong.
        recordOutcome(db, this.#o.events, {
          runId: id,
          kTest: cfg.kTest,
          adapter: 'none',
          source: 'training',
          classNames: specs.val.classNames,
          items: specs.val.items,
          outcome: result.finalVal,
        });
      return { status: result.status, wallSeconds: job.seconds(), imgPerSec: result.imgPerSec, peakRssMb: result.peakRssMb };
    } finally {
      // The engine has stopped reading and writing it (the job settled, or the process is gone).
      if (spill) await rm(spill, { recursive: true, force: true, maxRetries: 3 });
    }
  }

  #onProgress(id: number, p: TrainProgress, epochs: number): void {
    const { db, events } = this.#o;
    if (!db.open) return; // a message that was in flight when the lab closed
    if (p.type === 'start') {
      store.setBackend(db, id, p.backend);
      this.#emitUpdated(id);
    } else if (p.type === 'batch') {
      // An epoch's last batch always goes out: the bar reaches its end.
      if (!this.#life.progress.due(id, p.batch >= p.batchesPerEpoch)) return;
      const { type: _type, ...rest } = p;
      events.emit('run.progress', { runId: id, epochs, ...rest });
    } else if (p.type === 'epoch') {
      store.saveEpoch(db, id, epochRows(p.summary));
      this.#emitUpdated(id);
    } else store.setCheckpoint(db, id, p.epoch, p.batch);
  }

  /** The run's dataset id, or an error that says how to get a forgotten dataset back. */
  datasetOf(id: number, field?: string): number {
    const row = this.#row(id);
    if (row.dataset_id === null || !getDataset(this.#o.db, row.dataset_id)) throw datasetGoneError(this.#o.db, 'runs', id, field);
    return row.dataset_id;
  }

  /** An engine that died of running out of memory, said in the run's own terms: its K, batch and backend. */
  #inRunTerms(id: number, err: unknown, cfg: RunConfig, classes: number): unknown {
    const info = toErrorInfo(err);
    if (info.name !== 'EngineOutOfMemory') return err;
    const backend = store.getRun(this.#o.db, id)?.backend ?? cfg.backend ?? this.#o.backendInUse?.() ?? null;
    if (!backend) return err;
    const message = runOutOfMemory(cfg, classes, backend, String((err as Error).cause ?? info.message));
    return userError(message, undefined, errorCodeOf(err));
  }

  #row(id: number): store.RunRow {
    const row = store.getRun(this.#o.db, id);
    if (!row) throw missingRow(this.#o.db, 'run', id, 'id');
    return this.#life.ends.apply(row);
  }

  #emitUpdated(id: number): Run {
    const run = toRun(this.#row(id));
    this.#o.events.emit('run.updated', run);
    return run;
  }
}

function epochRows(s: EpochSummary): store.EpochPhaseRow[] {
  const row = (phase: 'train' | 'val', m: NonNullable<EpochSummary['val']>): store.EpochPhaseRow => ({
    epoch: s.epoch,
    phase,
    loss: m.loss,
    acc: m.acc,
    top5: m.top5,
    lr: s.lr,
    img_per_sec: m.imgPerSec,
    seconds: m.seconds,
  });
  return s.val ? [row('train', s.train), row('val', s.val)] : [row('train', s.train)];
}

function isInside(root: string, dir: string): boolean {
  const rel = relative(root, dir);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
