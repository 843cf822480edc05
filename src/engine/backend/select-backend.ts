import os from 'node:os';
import { BACKEND_NAMES, type BackendName } from '../../shared/backends';
import type { BackendReport } from '../../shared/jobs/doctor';
import { registerBatchNormGradient } from './batch-norm/batch-norm-grad';
import { installFusedBatchNorm } from './batch-norm/fused-layers-batch-norm';
import { actionOf, firstLine, unavailable } from './rung-error';
import { RUNGS, type LadderContext } from './rungs';
import { nodeSystemProbes, type SystemProbes } from './system-probes';
import { wasmThreadsFromEnv } from './wasm/init-wasm';

export type { BackendName } from '../../shared/backends';
export type { BackendReport } from '../../shared/jobs/doctor';

/** The training rungs of the backend ladder, best first. */
export const BACKEND_LADDER = BACKEND_NAMES;

export interface SelectOptions {
  /** Use only this rung (an error if it does not load). */
  force?: BackendName;
  probes?: SystemProbes;
  /** XNNPACK threads if wasm is chosen (default FIXRES_WASM_THREADS, else defaultWasmThreads()). */
  wasmThreads?: number;
}

/**
 * Chooses the backend: the forced one, or the best rung that loads. Every skipped rung says why
 * and what would make it load, so `fixres doctor` and the status bar can explain it. Also installs
 * what every backend trains with: tfjs-layers' gradients, our leaner batch-norm gradient, and the
 * one-op training-mode BatchNormalization (build models after this).
 */
export async function selectBackend(options: SelectOptions | BackendName = {}): Promise<BackendReport> {
  const { force, probes = nodeSystemProbes, wasmThreads } = typeof options === 'string' ? { force: options } : options;
  const ctx: LadderContext = {
    probes,
    wasmThreads: wasmThreads ?? wasmThreadsFromEnv(defaultWasmThreads()),
    forced: Boolean(force),
  };
  const skipped: BackendReport['skipped'] = [];
  for (const name of force ? [force] : BACKEND_LADDER) {
    try {
      const result = await RUNGS[name](ctx);
      await installTrainingOps();
      return { name, forced: Boolean(force), skipped, ...result };
    } catch (err) {
      if (force) throw forcedUnavailable(force, err);
      skipped.push({ name, reason: firstLine(err), action: actionOf(err) });
    }
  }
  throw new Error(`No tfjs backend could be initialised: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

/** A forced rung that does not load: the reason and, in the message too, what to do (it crosses process boundaries). */
function forcedUnavailable(name: BackendName, err: unknown): Error {
  const action = actionOf(err);
  return unavailable(
    `The forced backend "${name}" is not available: ${firstLine(err)}${action ? `; to fix: ${action}` : ''}`,
    action,
  );
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

let trainingOpsInstalled = false;

async function installTrainingOps(): Promise<void> {
  if (trainingOpsInstalled) return;
  // tfjs-core's Node build registers no gradients; tfjs-layers' bundle registers them on import.
  // Ours must come after, or layers' import would put tfjs's batch-norm gradient back.
  await import('@tensorflow/tfjs-layers');
  registerBatchNormGradient();
  installFusedBatchNorm();
  trainingOpsInstalled = true;
}

/** The rungs started in this process, by name, and the one tfjs computes on now. */
const started = new Map<BackendName, BackendReport>();
let current: BackendReport | null = null;
let automatic: Promise<BackendReport> | null = null;
let queue: Promise<unknown> = Promise.resolve();

/**
 * The backend for the next job of this engine process: `want` (a run's `backend`), else
 * FIXRES_BACKEND, else the ladder's choice (made once and kept). tfjs has one global backend: a
 * job that asks for another rung switches it, between jobs (the lab runs one compute job at a
 * time); rungs already started are switched back to without starting them again. A rung that
 * cannot load throws with the reason and what to do.
 */
export function ensureBackend(want: BackendName | undefined = envBackend()): Promise<BackendReport> {
  const next = queue.then(() => (want ? startRung(want) : startAutomatic()));
  queue = next.catch(() => undefined);
  return next;
}

async function startAutomatic(): Promise<BackendReport> {
  automatic ??= selectBackend({}).catch((err: unknown) => {
    automatic = null;
    throw err;
  });
  const report = await automatic;
  started.set(report.name, report);
  return use(report);
}

async function startRung(name: BackendName): Promise<BackendReport> {
  const known = started.get(name);
  if (known) return use(known);
  const other = name === 'tensorflow' ? 'tensorflow-gpu' : name === 'tensorflow-gpu' ? 'tensorflow' : null;
  if (other && started.has(other)) {
    throw unavailable(
      `The forced backend "${name}" is not available: this engine already loaded TensorFlow for ${other}, and a process loads one TensorFlow`,
      `restart FixRes Lab with FIXRES_BACKEND=${name}`,
    );
  }
  const report = await selectBackend({ force: name });
  started.set(name, report);
  return use(report);
}

async function use(report: BackendReport): Promise<BackendReport> {
  // A rung that failed half-way (tfjs-node-gpu without a device) may have switched tfjs already.
  const tf = await import('@tensorflow/tfjs-core');
  if (tf.getBackend() !== report.tfBackend && !(await tf.setBackend(report.tfBackend))) {
    throw new Error(`tfjs could not switch back to the ${report.name} backend`);
  }
  current = report;
  return report;
}

/** The backend tfjs computes on now, choosing the ladder's if no job has yet; never switches. */
export function activeBackend(): Promise<BackendReport> {
  return current ? Promise.resolve(current) : ensureBackend();
}

/** The rungs this process has started (their reports), for the doctor. */
export function startedRungs(): ReadonlyMap<BackendName, BackendReport> {
  return started;
}

/** The rung FIXRES_BACKEND forces for jobs that name none (undefined: the ladder chooses). */
export function envBackend(): BackendName | undefined {
  const value = process.env.FIXRES_BACKEND?.trim();
  if (!value) return undefined;
  if (!(BACKEND_LADDER as readonly string[]).includes(value)) {
    throw new Error(`FIXRES_BACKEND must be one of ${BACKEND_LADDER.join(', ')}; got "${value}"`);
  }
  return value as BackendName;
}
