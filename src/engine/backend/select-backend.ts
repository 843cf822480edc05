import os from 'node:os';
import { BACKEND_NAMES, type BackendName, type BackendReport } from '../../shared/jobs/doctor';
import { registerBatchNormGradient } from './batch-norm/batch-norm-grad';
import { installFusedBatchNorm } from './batch-norm/fused-layers-batch-norm';
import { firstLine, RUNGS, type LadderContext } from './rungs';
import { nodeSystemProbes, type SystemProbes } from './system-probes';
import { wasmThreadsFromEnv } from './wasm/init-wasm';

export type { BackendName, BackendReport } from '../../shared/jobs/doctor';

/** The rungs of the backend ladder, best first. */
export const BACKEND_LADDER = BACKEND_NAMES;

export interface SelectOptions {
  /** Use only this rung (an error if it does not load). */
  force?: BackendName;
  probes?: SystemProbes;
  /** XNNPACK threads if wasm is chosen (default FIXRES_WASM_THREADS, else defaultWasmThreads()). */
  wasmThreads?: number;
}

/**
 * Chooses the backend: the forced one, or the best rung that loads. Every skipped rung says why,
 * so `fixres doctor` and the status bar can explain it. Also installs what every backend trains
 * with: tfjs-layers' gradients, our leaner batch-norm gradient, and the one-op training-mode
 * BatchNormalization (build models after this).
 */
export async function selectBackend(options: SelectOptions | BackendName = {}): Promise<BackendReport> {
  const { force, probes = nodeSystemProbes, wasmThreads } = typeof options === 'string' ? { force: options } : options;
  const ctx: LadderContext = { probes, wasmThreads: wasmThreads ?? wasmThreadsFromEnv(defaultWasmThreads()) };
  const skipped: BackendReport['skipped'] = [];
  for (const name of force ? [force] : BACKEND_LADDER) {
    try {
      const result = await RUNGS[name](ctx);
      await installTrainingOps();
      return { name, forced: Boolean(force), skipped, ...result };
    } catch (err) {
      if (force) throw new Error(`The forced backend "${force}" is not available: ${firstLine(err)}`);
      skipped.push({ name, reason: firstLine(err) });
    }
  }
  throw new Error(`No tfjs backend could be initialised: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

/**
 * Every core, at most 4 (small models scale little beyond). Runs crop from decoded copies after
 * their first epoch, so the data workers need little CPU: measured on 2 idle cores
 * (docs/BENCHMARKS.md, Threads), 2 threads train 16 % faster than 1 from the cache, as fast from
 * fresh decodes, and evaluate 1.9× faster. On a machine busy with other work, XNNPACK's threads
 * stall each other (they meet at every kernel): FIXRES_WASM_THREADS=1 is then better.
 */
export function defaultWasmThreads(cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(4, cores));
}

async function installTrainingOps(): Promise<void> {
  // tfjs-core's Node build registers no gradients; tfjs-layers' bundle registers them on import.
  // Ours must come after, or layers' import would put tfjs's batch-norm gradient back.
  await import('@tensorflow/tfjs-layers');
  registerBatchNormGradient();
  installFusedBatchNorm();
}

let chosen: Promise<BackendReport> | null = null;

/**
 * The backend of this engine process, chosen on first call and kept (tfjs has one global
 * backend). FIXRES_BACKEND forces a rung, e.g. FIXRES_BACKEND=wasm; FIXRES_WASM_THREADS sets
 * wasm's threads. Later calls return the first report whatever they ask for: compare
 * `report.name` with what you wanted.
 */
export function ensureBackend(force: BackendName | undefined = envBackend()): Promise<BackendReport> {
  chosen ??= selectBackend({ force }).catch((err: unknown) => {
    chosen = null;
    throw err;
  });
  return chosen;
}

/** The report of the backend chosen so far, without choosing one. */
export function chosenBackend(): Promise<BackendReport> | null {
  return chosen;
}

function envBackend(): BackendName | undefined {
  const value = process.env.FIXRES_BACKEND?.trim();
  if (!value) return undefined;
  if (!(BACKEND_LADDER as readonly string[]).includes(value)) {
    throw new Error(`FIXRES_BACKEND must be one of ${BACKEND_LADDER.join(', ')}; got "${value}"`);
  }
  return value as BackendName;
}
