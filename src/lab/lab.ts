import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../store/db';
import { DatasetService } from './datasets';
import type { SpawnEngine } from './engine-channel';
import { EngineHost } from './engine-host';
import { EngineStatusService } from './engine-status';
import { LabEvents } from './events';

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
  /** The compute engine's backend, for the status bar and `fixres doctor`. */
  readonly engineStatus: EngineStatusService;
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
  return {
    db,
    dataDir: options.dataDir,
    events,
    engines,
    datasets,
    engineStatus: new EngineStatusService(engines.compute),
    transport: options.transport,
    version: options.version,
    close() {
      engines.io.stop();
      engines.compute.stop();
      db.close();
    },
  };
}
