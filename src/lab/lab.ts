import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../store/db';
import { ExternalChanges } from './live';
import { openDataFolder } from './data-folder';
import { imageSizes } from '../store/images';
import { getRun } from '../store/runs';
import { getSweep } from '../store/sweeps';
import {
  AnalysisService,
  CropService,
  DatasetImageService,
  DatasetService,
  SampleService,
  ThumbnailCache,
  thumbnailCacheBytes,
} from './datasets';
import { type SpawnEngine, EngineHost, EngineStatusService } from './engine';
import { LabEvents } from './events';
import { JobQueue, interruptAbandonedWork, interruptDeadLab, watchOtherLabs } from './jobs';
import { RunService, foreignFoldersNotice, foreignRunFolders, toRun } from './runs';
import { SweepService, toSweep } from './sweeps';
import { WorkflowService } from './workflows';
import { ExportService } from './export';
import { FinetuneService } from './finetunes';
import { ModelService } from './models';
import { RecipeService } from './recipes';
import { registerLabPresence, type PresenceOptions } from './lab-presence';
import { databaseId } from '../store/lasting-ids';
import { runFolders } from '../store/runs';

export interface LabOptions {
  /** Folder for the database, caches and checkpoints; ':memory:' keeps the database in memory (tests). */
  dataDir: string;
  spawnEngine: SpawnEngine;
  transport: 'electron' | 'web';
  version: string;
  sqliteBinding?: string;
  /** The thumbnail cache's bound in MB (default $FIXRES_THUMBNAIL_CACHE_MB, else 512). */
  thumbnailCacheMb?: number;
  /** How often this lab's mark in the data folder is touched and other labs' are checked (tests: faster). */
  presence?: Pick<PresenceOptions, 'heartbeatMs' | 'staleMs'>;
}

/** The application: services over one database and two engine processes (`engines`). Adapters reach it through createHandlers(). */
export interface Lab {
  readonly db: Db;
  readonly dataDir: string;
  /** Announces what other processes write to this data folder (polled; `check()` polls at once). */
  readonly external: ExternalChanges;
  readonly events: LabEvents;
  /** Two engine processes: `io` for scans and image work, `compute` for tfjs jobs, so one never waits on the other. */
  readonly engines: { io: EngineHost; compute: EngineHost };
  readonly datasets: DatasetService;
  readonly analysis: AnalysisService;
  /** Inspection details, image pages, thumbnails and previews of opened datasets. */
  readonly datasetImages: DatasetImageService;
  readonly crops: CropService;
  readonly samples: SampleService;
  /** Compute jobs, one at a time. */
  readonly jobs: JobQueue;
  readonly runs: RunService;
  /** The compute engine's backend, for the status bar and `fixres doctor`. */
  readonly engineStatus: EngineStatusService;
  /** K_test sweeps (with activation statistics and the Fréchet series) of trained runs. */
  readonly sweeps: SweepService;
  /** FixRes fine-tunes, with the child's sweep queued behind them. */
  readonly finetunes: FinetuneService;
  /** One-click "train small, test large" workflows, resumable at the step where they stopped. */
  readonly workflows: WorkflowService;
  /** CSV, JSON, HTML report and model exports of runs and workflows. */
  readonly exports: ExportService;
  /** Imported PyTorch models: import, predict, export as safetensors, put to work on a dataset. */
  readonly models: ModelService;
  /** Runs handed to PyTorch's torchrun as train.py + recipe.json, brought back with a model import. */
  readonly recipes: RecipeService;
  readonly transport: 'electron' | 'web';
  readonly version: string;
  /** What the lab found at start that the user should know (run folders another database left). */
  readonly notices: readonly string[];
  close(): void;
}

export function createLab(options: LabOptions): Lab {
  const inMemory = options.dataDir === ':memory:';
  const nativeBinding = options.sqliteBinding;
  const db = inMemory ? openDatabase(':memory:', { nativeBinding }).db : openDataFolder(options.dataDir, { nativeBinding });
  // Another live process on this folder owns whatever is running; only a lone lab may call it abandoned.
  // With others alive, only the work of labs that died (their marks say which) is interrupted.
  const presence = inMemory ? null : registerLabPresence(options.dataDir, options.presence);
  if (!presence?.othersOpen) interruptAbandonedWork(db);
  else for (const dead of presence.deadAtStart) interruptDeadLab(db, dead);
  const events = new LabEvents();
  const engines = {
    io: new EngineHost(options.spawnEngine, 'image engine'),
    compute: new EngineHost(options.spawnEngine, 'compute engine'),
  };
  // Caches live in the data folder; an in-memory lab (tests) gets a temporary one, removed on close.
  const cacheDir = inMemory ? mkdtempSync(join(tmpdir(), 'fixres-cache-')) : join(options.dataDir, 'cache');
  const thumbDir = join(cacheDir, 'thumbs');
  const decodeDir = join(cacheDir, 'sweep-decode');
  const runDecodeDir = join(cacheDir, 'run-decode');
  // Sweeps and runs remove their decoded images when they stop; a killed lab or engine leaves them to the next lone lab.
  if (!presence?.othersOpen) for (const dir of [decodeDir, runDecodeDir]) rmSync(dir, { recursive: true, force: true });
  const thumbnails = new ThumbnailCache({ dir: thumbDir, maxBytes: thumbnailCacheBytes(options.thumbnailCacheMb) });
  const datasets = new DatasetService({
    db,
    engine: engines.io,
    events,
    thumbnails,
    // Runs and workflows whose forgotten dataset came back show it at once.
    onReattached: ({ runIds, workflowIds }) => {
      for (const id of runIds) {
        const row = getRun(db, id);
        if (row) events.emit('run.updated', toRun(row));
      }
      for (const id of workflowIds) events.emit('workflow.updated', workflows.get(id));
    },
  });
  const datasetImages = new DatasetImageService({ db, engine: engines.io, thumbnails });
  const crops = new CropService(datasetImages, engines.io);
  const samples = new SampleService({ dataDir: options.dataDir, engine: engines.io, events, datasets });
  const jobs = new JobQueue((list) => events.emit('jobs.changed', list));
  const runsRoot = inMemory ? join(cacheDir, 'runs') : join(options.dataDir, 'runs');
  const notices = [foreignFoldersNotice(runsRoot, foreignRunFolders(runsRoot, databaseId(db), runFolders(db)))].filter(
    (n): n is string => n !== null,
  );
  const engineStatus = new EngineStatusService(engines.compute);
  const runs = new RunService({
    db,
    engine: engines.compute,
    events,
    queue: jobs,
    runsRoot,
    decodeDir: runDecodeDir,
    // The engine inherits this environment, so FIXRES_BACKEND is its choice too.
    backendInUse: () => engineStatus.known()?.backend.name ?? (process.env.FIXRES_BACKEND?.trim() || null),
  });
  const analysis = new AnalysisService(db, (id, split) => imageSizes(db, id, split));
  const sweeps = new SweepService({ db, engine: engines.compute, events, queue: jobs, analysis, decodeDir });
  const finetunes = new FinetuneService({ runs, sweeps });
  const modelsRoot = inMemory ? join(cacheDir, 'models') : join(options.dataDir, 'models');
  const models = new ModelService({ db, engine: engines.io, events, modelsRoot, dataDir: options.dataDir, runs });
  const workflows = new WorkflowService({
    db,
    events,
    runs,
    models,
    sweeps,
    finetunes,
    analysis,
    engine: engines.compute,
    queue: jobs,
  });
  const exports = new ExportService({
    db,
    runs,
    sweeps,
    workflows,
    engine: engines.compute,
    dataDir: options.dataDir,
    version: options.version,
    thumbnails: (imageIds) => datasetImages.thumbnails(imageIds),
  });
  // Work another process (the CLI) does on this data folder reaches this lab's clients live.
  const external = new ExternalChanges(db, events, {
    datasets: () => datasets.list(),
    runs: () => runs.list(),
    sweeps: () => sweeps.list(),
    workflows: () => workflows.list(),
  });
  if (!inMemory) external.start();
  const stopWatching = presence
    ? watchOtherLabs(presence, {
        db,
        events,
        announce: ({ runs: runIds, sweeps: sweepIds, workflows: workflowIds, scans }) => {
          for (const id of runIds) events.emit('run.updated', toRun(getRun(db, id)!));
          for (const id of sweepIds) events.emit('sweep.updated', toSweep(getSweep(db, id)!));
          for (const id of workflowIds) events.emit('workflow.updated', workflows.get(id));
          for (const id of scans) events.emit('dataset.updated', datasets.get(id));
        },
      })
    : () => undefined;
  return {
    db,
    dataDir: options.dataDir,
    external,
    events,
    engines,
    datasets,
    analysis,
    datasetImages,
    crops,
    samples,
    jobs,
    runs,
    engineStatus,
    sweeps,
    finetunes,
    workflows,
    exports,
    models,
    recipes: new RecipeService({ db, runs, engine: engines.io, dataDir: options.dataDir }),
    transport: options.transport,
    version: options.version,
    notices,
    close() {
      external.stop();
      stopWatching();
      engines.io.stop();
      engines.compute.stop();
      db.close();
      presence?.release();
      if (inMemory) rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
