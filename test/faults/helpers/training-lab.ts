import { join } from 'node:path';
import { type SpawnEngine, spawnNodeEngine } from '../../../src/lab/engine';
import { createLab, type Lab } from '../../../src/lab/lab';
import { RunConfig, type RunConfigInput, type RunDetail } from '../../../src/shared/api/runs';
import type { EventName, EventOf } from '../../../src/shared/contract';
import { tempDir } from '../../helpers/fixtures';
import { writePatternFolder } from '../../helpers/pattern-images';

export interface TrainingLab {
  lab: Lab;
  /** The test's temporary folder (the dataset is in `<dir>/patterns`, the data folder in `home`). */
  dir: string;
  home: string;
  datasetId: number;
  /** A run config that trains in about a second on the cpu backend. */
  tiny(extra?: Partial<RunConfigInput>): RunConfig;
  /** Trains `tiny(extra)` to its end (the queue idle) and returns the run as stored: a reference for resumed runs. */
  trainToEnd(extra?: Partial<RunConfigInput>): Promise<RunDetail>;
  /** Closes the lab and opens a new one on the same data folder (what a restart of the app does). */
  reopen(): Lab;
  close(): void;
}

/** Sets environment variables for engines started from now on; returns the undo. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  return () => apply(previous);
}

export interface TrainingLabOptions {
  spawnEngine?: SpawnEngine;
  perClass?: number;
  /** Prepares the data folder before the lab opens it (e.g. mounts a file system there); returns its undo. */
  prepareHome?(home: string): () => void;
}

/** A lab on a temporary data folder with a scanned 4-class pattern dataset (40 images, 12×12), training on cpu. */
export async function startTrainingLab(options: TrainingLabOptions = {}): Promise<TrainingLab> {
  const t = tempDir('fixres-faults-train-');
  const home = join(t.dir, 'home');
  const undoHome = options.prepareHome?.(home) ?? (() => undefined);
  const undoEnv = setEnv({ FIXRES_BACKEND: 'cpu' });
  await writePatternFolder(join(t.dir, 'patterns'), { perClass: options.perClass ?? 10, size: 12 });
  const open = () =>
    createLab({ dataDir: home, spawnEngine: options.spawnEngine ?? spawnNodeEngine, transport: 'web', version: 'faults' });
  let lab = open();
  const datasetId = (await (await lab.datasets.open(join(t.dir, 'patterns'))).scanned).id;
  const tiny = (extra: Partial<RunConfigInput> = {}) =>
    RunConfig.parse({ datasetId, width: 0.25, kTrain: 8, epochs: 2, batchSize: 8, lr: 0.05, scale: [0.5, 1], ...extra });
  return {
    get lab() {
      return lab;
    },
    dir: t.dir,
    home,
    datasetId,
    tiny,
    async trainToEnd(extra = {}) {
      const run = lab.runs.start(tiny(extra));
      await lab.jobs.idle();
      return lab.runs.get(run.id);
    },
    reopen() {
      lab.close();
      lab = open();
      return lab;
    },
    close() {
      lab.close();
      undoEnv();
      undoHome();
      t.cleanup();
    },
  };
}

/** Per-epoch metrics that a resumed run must reproduce exactly. */
export function metricsOf(run: RunDetail): unknown[] {
  return run.epochs.map((e) => [e.epoch, e.phase, e.loss, e.acc, e.top5, e.lr]);
}

/** Resolves with the first payload of `event` that `match` accepts. */
export function nextEvent<E extends EventName>(
  lab: Lab,
  event: E,
  match: (payload: EventOf<E>) => boolean = () => true,
): Promise<EventOf<E>> {
  return new Promise((resolve) => {
    const off = lab.events.subscribe((name, payload) => {
      if (name === event && match(payload as EventOf<E>)) {
        off();
        resolve(payload as EventOf<E>);
      }
    });
  });
}
