import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../store/db';
import { DatasetService } from './datasets';
import type { SpawnEngine } from './engine-channel';
import { EngineHost } from './engine-host';
import { LabEvents } from './events';
import { JobQueue } from './job-queue';
import { RunService } from './runs';

export interface LabOptions {
  /** Folder for the database, caches and checkpoints; ':memory:' keeps the database in memory (tests). */
  dataDir: string;
  spawnEngine: SpawnEngine;
  transport: 'electron' | 'web';
  version: string;
  sqliteBinding?: string;
}

/** The application: services over one database and one engine process. Adapters reach it through createHandlers(). */
export interface Lab {
  readonly db: Db;
  readonly dataDir: string;
  readonly events: LabEvents;
  /** Two engine processes: `io` for scans and image work, `compute` for tfjs jobs, so one never waits on the other. */
  readonly engines: { io: EngineHost; compute: EngineHost };
  readonly datasets: DatasetService;
  /** Compute jobs, one at a time. */
  readonly jobs: JobQueue;
  readonly runs: RunService;
  readonly transport: 'electron' | 'web';
  readonly version: string;
  close(): void;
}

export function createLab(options: LabOptions): Lab {
  const inMemory = options.dataDir === ':memory:';
  if (!inMemory) mkdirSync(options.dataDir, { recursive: true });
  const { db } = openDatabase(inMemory ? ':memory:' : join(options.dataDir, 'lab.sqlite'), {
    nativeBinding: options.sqliteBinding,
  });
  const events = new LabEvents();
  const engines = { io: new EngineHost(options.spawnEngine), compute: new EngineHost(options.spawnEngine) };
  const datasets = new DatasetService(db, engines.io, events);
  const jobs = new JobQueue((list) => events.emit('jobs.changed', list));
  const runsRoot = inMemory ? join(tmpdir(), `fixres-lab-${process.pid}`, 'runs') : join(options.dataDir, 'runs');
  const runs = new RunService({ db, engine: engines.compute, events, queue: jobs, runsRoot });
  return {
    db,
    dataDir: options.dataDir,
    events,
    engines,
    datasets,
    jobs,
    runs,
    transport: options.transport,
    version: options.version,
    close() {
      engines.io.stop();
      engines.compute.stop();
      db.close();
    },
  };
}
